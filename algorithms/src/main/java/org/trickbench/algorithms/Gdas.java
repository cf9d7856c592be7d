package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;

/**
 * GDAS (Dong & Yang, Searching for a Robust Neural Architecture in Four GPU Hours, CVPR 2019, arXiv
 * 1910.04465) as the benchmark runs it ({@code exps/NAS-Bench-201-algos/GDAS.py}): every forward pass
 * draws one op per edge by Gumbel-max and runs only that op, with straight-through Gumbel-softmax
 * weights so that α still gets a gradient. Each step trains the sampled path's weights on a training
 * batch, then α on a validation batch with a fresh sample. The temperature falls linearly from τ_max
 * to τ_min over the epochs: τ_e = τ_max − (τ_max − τ_min) · e / (E − 1).
 */
public final class Gdas extends SupernetSearch {
    public static final String ID = "gdas";
    /** The benchmark's GDAS script runs with τ from 10 down to 0.1. */
    static final double TAU_MAX = 10;
    static final double TAU_MIN = 0.1;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reference() {
        return "Dong & Yang, Searching for a Robust Neural Architecture in Four GPU Hours, CVPR 2019 (arXiv 1910.04465)";
    }

    @Override
    public String description() {
        return "GDAS: one Gumbel-sampled op per edge per pass, straight-through gradient to α, τ annealed 10 → 0.1";
    }

    @Override
    List<ParameterSpec> extraParameters() {
        return List.of(
                ParameterSpec.number("tau-max", TAU_MAX, 0, false, Double.POSITIVE_INFINITY, false,
                        "Gumbel-softmax temperature of the first epoch"),
                ParameterSpec.number("tau-min", TAU_MIN, 0, false, Double.POSITIVE_INFINITY, false,
                        "Gumbel-softmax temperature of the last epoch; at most tau-max"));
    }

    /** τ of epoch {@code epoch} of {@code total}: linear from τ_max at the first to τ_min at the last. */
    static double temperature(double tauMax, double tauMin, int epoch, int total) {
        if (total <= 1) {
            return tauMax;
        }
        // The weighted form hits both ends exactly; the benchmark's tau_max − (tau_max − tau_min)·e/(E−1) rounds at the end.
        double f = (double) epoch / (total - 1);
        return tauMax * (1 - f) + tauMin * f;
    }

    @Override
    Steps steps(AlgorithmSetting setting, Seeds seeds) {
        Parameters p = resolve(setting);
        double tauMax = p.number("tau-max");
        double tauMin = p.number("tau-min");
        if (tauMax < tauMin) {
            throw p.invalid("tau-min", "0 < tau-min <= tau-max (" + tauMax + ")");
        }
        return new GumbelSteps(tauMax, tauMin, seeds.forPurpose("gumbel"));
    }

    private static final class GumbelSteps implements Steps {
        private final double tauMax;
        private final double tauMin;
        private final SplittableRandom random;
        private double tau;

        GumbelSteps(double tauMax, double tauMin, SplittableRandom random) {
            this.tauMax = tauMax;
            this.tauMin = tauMin;
            this.random = random;
            this.tau = tauMax;
        }

        @Override
        public void startEpoch(int epoch, int totalEpochs) {
            tau = Gdas.temperature(tauMax, tauMin, epoch, totalEpochs);
        }

        @Override
        public double temperature() {
            return tau;
        }

        @Override
        public void step(SupernetTrainer trainer, Batch train, Supplier<Batch> valid, boolean updateArchitecture,
                StepContext context) {
            trainer.supernet().useGumbel(noise(trainer), tau);
            trainer.weightStep(train, context);
            if (updateArchitecture) {
                trainer.supernet().useGumbel(noise(trainer), tau);
                trainer.architectureStep(valid.get());
            }
        }

        private List<NDArray> noise(SupernetTrainer trainer) {
            return gumbelNoise(random, trainer.supernet().alphas(), trainer.manager());
        }
    }

    /** {@link #gumbelNoise(SplittableRandom, NDArray, NDManager)} for every α in turn, from the one generator. */
    static List<NDArray> gumbelNoise(SplittableRandom random, List<Parameter> alphas, NDManager manager) {
        List<NDArray> noise = new ArrayList<>(alphas.size());
        for (Parameter alpha : alphas) {
            noise.add(gumbelNoise(random, alpha.getArray(), manager));
        }
        return noise;
    }

    /** Standard Gumbel samples −log(−log U) of α's shape, type and device, drawn on the host from {@code random}. */
    static NDArray gumbelNoise(SplittableRandom random, NDArray alpha, NDManager manager) {
        int n = (int) alpha.getShape().size();
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double u;
            do {
                u = random.nextDouble();
            } while (u == 0);
            g[i] = -Math.log(-Math.log(u));
        }
        return manager.create(g, alpha.getShape())
                .toType(alpha.getDataType(), false).toDevice(alpha.getDevice(), false);
    }
}
