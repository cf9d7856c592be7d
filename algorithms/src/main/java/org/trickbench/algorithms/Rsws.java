package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;

/**
 * Random search with weight sharing (Li & Talwalkar, Random Search and Reproducibility for Neural
 * Architecture Search, UAI 2019, arXiv 1902.07638), as the benchmark's {@code RANDOM-NAS.py} runs it:
 * train the supernet with uniformly sampled paths, then draw {@code samples} random cells (100 in the
 * benchmark) and keep the one the shared weights score best on the validation half. The cells are uniform
 * draws of the run's space ({@link SearchSpace#random}): NAS-Bench-201 cells, or DARTS genotypes.
 */
public final class Rsws extends OneShotSearch {
    public static final String ID = "rsws";
    static final int SAMPLES = 100;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reference() {
        return "Li & Talwalkar, Random Search and Reproducibility for Neural Architecture Search, UAI 2019 (arXiv 1902.07638)";
    }

    @Override
    public String description() {
        return "random search with weight sharing: uniform single-path supernet, then the best of N random cells";
    }

    @Override
    List<ParameterSpec> extraParameters() {
        return List.of(ParameterSpec.integer("samples", SAMPLES, 1, Integer.MAX_VALUE,
                "random cells scored with the shared weights").withUnit(EvaluationBudget.UNIT));
    }

    @Override
    Choice search(ToDoubleFunction<Architecture> fitness, AlgorithmSetting setting, Seeds seeds, SearchSpace space,
            TimeBudget time) {
        int samples = resolve(setting).integer("samples");
        SplittableRandom random = seeds.forPurpose("rsws-candidates");
        Architecture best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        List<Double> trajectory = new ArrayList<>(samples);
        boolean outOfTime = false;
        for (int i = 0; i < samples; i++) {
            if (i > 0 && time.spent()) {
                outOfTime = true;
                break;
            }
            Architecture candidate = space.random(random);
            double score = fitness.applyAsDouble(candidate);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
            trajectory.add(bestScore);
        }
        return new Choice(best, bestScore, trajectory, outOfTime);
    }
}
