package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.AlgorithmParameter;

/**
 * How a supernet search trains: SGD on the weights over the training half, Adam on α over the
 * validation half. The defaults are the benchmark's search configs (Dong & Yang, ICLR 2020, arXiv
 * 2001.00326; xautodl {@code configs/nas-benchmark/algos/DARTS.config}, {@code GDAS.config} and the
 * {@code exps/NAS-Bench-201-algos} scripts): weight lr 0.025 with one cosine cycle to 0.001, momentum
 * 0.9 with Nesterov, weight decay 5e-4, batch 64, gradient norm clipped at 5; α by Adam with lr 3e-4,
 * betas (0.5, 0.999) and weight decay 1e-3.
 */
record SupernetSettings(double learningRate, double minLearningRate, double momentum, boolean nesterov,
        double weightDecay, int batchSize, double gradientClip, double archLearningRate, double archWeightDecay,
        double archBeta1, double archBeta2) {

    SupernetSettings {
        positive("learning-rate", learningRate);
        if (minLearningRate < 0 || minLearningRate > learningRate) {
            throw new UserInputException("min-learning-rate must be in [0, learning-rate], got " + minLearningRate);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new UserInputException("momentum must be in [0, 1), got " + momentum);
        }
        nonNegative("weight-decay", weightDecay);
        if (batchSize <= 1) {
            throw new UserInputException("batch-size must be at least 2 (BatchNorm needs two images), got " + batchSize);
        }
        nonNegative("gradient-clip", gradientClip);
        positive("arch-learning-rate", archLearningRate);
        nonNegative("arch-weight-decay", archWeightDecay);
        if (archBeta1 < 0 || archBeta1 >= 1 || archBeta2 < 0 || archBeta2 >= 1) {
            throw new UserInputException("arch-beta1 and arch-beta2 must be in [0, 1), got " + archBeta1 + " and "
                    + archBeta2);
        }
    }

    static SupernetSettings benchmark() {
        return new SupernetSettings(0.025, 0.001, 0.9, true, 5e-4, 64, 5, 3e-4, 1e-3, 0.5, 0.999);
    }

    /** The parameters every supernet search accepts, with the benchmark's values as defaults. */
    static List<AlgorithmParameter> parameters() {
        SupernetSettings d = benchmark();
        return List.of(
                new AlgorithmParameter("learning-rate", "double", d.learningRate, "weight SGD learning rate, cosine from here"),
                new AlgorithmParameter("min-learning-rate", "double", d.minLearningRate, "where the weight cosine ends"),
                new AlgorithmParameter("momentum", "double", d.momentum, "weight SGD momentum"),
                new AlgorithmParameter("nesterov", "boolean", d.nesterov, "Nesterov momentum for the weights"),
                new AlgorithmParameter("weight-decay", "double", d.weightDecay, "weight SGD L2 weight decay"),
                new AlgorithmParameter("batch-size", "int", d.batchSize, "images per weight step and per α step"),
                new AlgorithmParameter("gradient-clip", "double", d.gradientClip, "max global norm of weight gradients (0 = off)"),
                new AlgorithmParameter("arch-learning-rate", "double", d.archLearningRate, "Adam learning rate of α"),
                new AlgorithmParameter("arch-weight-decay", "double", d.archWeightDecay, "Adam L2 weight decay of α"),
                new AlgorithmParameter("arch-beta1", "double", d.archBeta1, "Adam β1 of α"),
                new AlgorithmParameter("arch-beta2", "double", d.archBeta2, "Adam β2 of α"));
    }

    /** The weight-training parameters alone, for searches that do not train α. */
    static List<AlgorithmParameter> weightParameters() {
        return parameters().stream().filter(p -> !p.name().startsWith("arch-")).toList();
    }

    /**
     * The settings a run asks for: defaults overridden by its parameters. A parameter the algorithm
     * does not know is an error that lists the known ones, so a typo never silently runs the default.
     */
    static SupernetSettings from(AlgorithmSetting setting, List<AlgorithmParameter> known) {
        Set<String> names = new TreeSet<>();
        for (AlgorithmParameter p : known) {
            names.add(p.name());
        }
        List<String> unknown = new ArrayList<>();
        for (String name : setting.params().keySet()) {
            if (!names.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UserInputException("algorithm '" + setting.id() + "' has no parameter(s) " + unknown
                    + "; known: " + String.join(", ", names));
        }
        SupernetSettings d = benchmark();
        Map<String, Object> p = setting.params();
        return new SupernetSettings(
                number(setting, p, "learning-rate", d.learningRate),
                number(setting, p, "min-learning-rate", d.minLearningRate),
                number(setting, p, "momentum", d.momentum),
                bool(setting, p, "nesterov", d.nesterov),
                number(setting, p, "weight-decay", d.weightDecay),
                integer(setting, p, "batch-size", d.batchSize),
                number(setting, p, "gradient-clip", d.gradientClip),
                number(setting, p, "arch-learning-rate", d.archLearningRate),
                number(setting, p, "arch-weight-decay", d.archWeightDecay),
                number(setting, p, "arch-beta1", d.archBeta1),
                number(setting, p, "arch-beta2", d.archBeta2));
    }

    static double number(AlgorithmSetting setting, Map<String, Object> params, String name, double fallback) {
        Object v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new UserInputException("algorithm '" + setting.id() + "' parameter " + name + " must be a number, got '"
                + v + "'");
    }

    private static int integer(AlgorithmSetting setting, Map<String, Object> params, String name, int fallback) {
        double v = number(setting, params, name, fallback);
        if (v != Math.rint(v)) {
            throw new UserInputException("algorithm '" + setting.id() + "' parameter " + name
                    + " must be a whole number, got " + v);
        }
        return (int) v;
    }

    private static boolean bool(AlgorithmSetting setting, Map<String, Object> params, String name, boolean fallback) {
        Object v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new UserInputException("algorithm '" + setting.id() + "' parameter " + name
                + " must be true or false, got '" + v + "'");
    }

    private static void positive(String name, double v) {
        if (!(v > 0)) {
            throw new UserInputException(name + " must be > 0, got " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0)) {
            throw new UserInputException(name + " must be >= 0, got " + v);
        }
    }
}
