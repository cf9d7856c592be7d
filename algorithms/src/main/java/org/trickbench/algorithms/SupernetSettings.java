package org.trickbench.algorithms;

import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;

/**
 * How a supernet search trains: SGD on the weights over the training half, Adam on α over the
 * validation half. The defaults are the benchmark's search configs (Dong & Yang, ICLR 2020, arXiv
 * 2001.00326; xautodl {@code configs/nas-benchmark/algos/DARTS.config}, {@code GDAS.config} and the
 * {@code exps/NAS-Bench-201-algos} scripts): weight lr 0.025 with one cosine cycle to 0.001, momentum
 * 0.9 with Nesterov, weight decay 5e-4, batch 64, gradient norm clipped at 5; α by Adam with lr 3e-4,
 * betas (0.5, 0.999) and weight decay 1e-3.
 *
 * <p>On the DARTS space a parameter the run does not set takes DARTS's own search setting instead (Liu,
 * Simonyan & Yang, ICLR 2019, arXiv 1806.09055; the defaults of the authors' {@code cnn/train_search.py}):
 * the same except plain momentum 0.9 without Nesterov and weight decay 3e-4.
 */
record SupernetSettings(double learningRate, double minLearningRate, double momentum, boolean nesterov,
        double weightDecay, int batchSize, double gradientClip, double archLearningRate, double archWeightDecay,
        double archBeta1, double archBeta2) {
    private static final double INF = Double.POSITIVE_INFINITY;

    static SupernetSettings benchmark() {
        return new SupernetSettings(0.025, 0.001, 0.9, true, 5e-4, 64, 5, 3e-4, 1e-3, 0.5, 0.999);
    }

    /**
     * DARTS's search ({@code train_search.py}): SGD lr 0.025 cosine to 0.001, momentum 0.9 (not Nesterov),
     * weight decay 3e-4, batch 64, gradient norm clipped at 5; α by Adam with lr 3e-4, betas (0.5, 0.999),
     * weight decay 1e-3.
     */
    static SupernetSettings darts() {
        return new SupernetSettings(0.025, 0.001, 0.9, false, 3e-4, 64, 5, 3e-4, 1e-3, 0.5, 0.999);
    }

    /** The defaults of a search in {@code space}: DARTS's own on {@code darts}, the benchmark's otherwise. */
    static SupernetSettings defaults(String space) {
        return SupernetSearch.DARTS.equals(space) ? darts() : benchmark();
    }

    /** The parameters every supernet search accepts, with the benchmark's values as defaults. */
    static List<ParameterSpec> parameters() {
        return parameters(SupernetSearch.NB201);
    }

    /** The parameters every supernet search accepts, with {@code space}'s own values as defaults. */
    static List<ParameterSpec> parameters(String space) {
        SupernetSettings d = defaults(space);
        return List.of(
                ParameterSpec.number("learning-rate", d.learningRate, 0, false, INF, false,
                        "weight SGD learning rate, cosine from here"),
                ParameterSpec.number("min-learning-rate", d.minLearningRate, 0, true, INF, false,
                        "where the weight cosine ends; at most learning-rate"),
                ParameterSpec.number("momentum", d.momentum, 0, true, 1, false, "weight SGD momentum"),
                ParameterSpec.bool("nesterov", d.nesterov, "Nesterov momentum for the weights"),
                ParameterSpec.number("weight-decay", d.weightDecay, 0, true, INF, false, "weight SGD L2 weight decay"),
                ParameterSpec.integer("batch-size", d.batchSize, 2, Integer.MAX_VALUE,
                        "images per weight step and per α step (BatchNorm needs two)").withUnit("images"),
                ParameterSpec.number("gradient-clip", d.gradientClip, 0, true, INF, false,
                        "max global norm of weight gradients (0 = off)"),
                ParameterSpec.number("arch-learning-rate", d.archLearningRate, 0, false, INF, false,
                        "Adam learning rate of α"),
                ParameterSpec.number("arch-weight-decay", d.archWeightDecay, 0, true, INF, false,
                        "Adam L2 weight decay of α"),
                ParameterSpec.number("arch-beta1", d.archBeta1, 0, true, 1, false, "Adam β1 of α"),
                ParameterSpec.number("arch-beta2", d.archBeta2, 0, true, 1, false, "Adam β2 of α"));
    }

    /** The weight-training parameters alone, for searches that do not train α, with {@code space}'s defaults. */
    static List<ParameterSpec> weightParameters(String space) {
        return parameters(space).stream().filter(p -> !p.name().startsWith("arch-")).toList();
    }

    /**
     * The settings a run asks for, from its resolved parameters. A search that does not train α has no
     * {@code arch-} parameters and keeps the benchmark's values for them, which it never uses.
     *
     * @throws UserInputException when min-learning-rate exceeds learning-rate
     */
    static SupernetSettings from(Parameters p) {
        return from(p, null, SupernetSearch.NB201);
    }

    /**
     * The settings a run in {@code space} asks for: the parameters in {@code given} (the run's own) from
     * {@code p}, every other one the space's default ({@link #defaults}).
     *
     * @throws UserInputException when min-learning-rate exceeds learning-rate
     */
    static SupernetSettings from(Parameters p, Map<String, ?> given, String space) {
        SupernetSettings d = defaults(space);
        Values v = new Values(p, given, space.equals(SupernetSearch.NB201));
        double learningRate = v.number("learning-rate", d.learningRate);
        double minLearningRate = v.number("min-learning-rate", d.minLearningRate);
        if (minLearningRate > learningRate) {
            throw p.invalid("min-learning-rate", "0 <= min-learning-rate <= learning-rate (" + learningRate + ")");
        }
        return new SupernetSettings(learningRate, minLearningRate, v.number("momentum", d.momentum),
                v.given("nesterov") ? p.bool("nesterov") : d.nesterov, v.number("weight-decay", d.weightDecay),
                v.given("batch-size") ? p.integer("batch-size") : d.batchSize,
                v.number("gradient-clip", d.gradientClip), v.number("arch-learning-rate", d.archLearningRate),
                v.number("arch-weight-decay", d.archWeightDecay), v.number("arch-beta1", d.archBeta1),
                v.number("arch-beta2", d.archBeta2));
    }

    /**
     * Where each value comes from: on NAS-Bench-201 the resolved parameters (whose declared defaults are
     * its own) wherever the search declares them; elsewhere only the parameters the run gave.
     */
    private record Values(Parameters p, Map<String, ?> given, boolean declaredDefaults) {
        boolean given(String name) {
            return declaredDefaults ? p.isSet(name) : given != null && given.get(name) != null;
        }

        double number(String name, double fallback) {
            return given(name) ? p.number(name) : fallback;
        }
    }
}
