package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.TrainingHook;

/**
 * TuNAS-style warm-up of a one-shot supernet (Bender et al. 2020): a step trains every op of every
 * edge at once with probability p(t) = max(0, 1 − t / fraction), t the share of search steps done,
 * and otherwise its sampled path, so all ops get trained before single paths compete. The all-ops
 * step runs the supernet's mixed mode, every edge the softmax(α)-weighted sum of its ops; a one-shot
 * search never trains α, which stays at its near-uniform initialisation. The draw comes from the run's
 * seed and the step number, so the sampled paths do not shift.
 */
public final class WarmupAllPaths extends SearchPhaseTrick {
    public WarmupAllPaths() {
        super("warmup-all-paths", Family.ONE_SHOT);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("fraction", 0.25, 0, true, 1, true,
                "share of the search over which the all-ops probability falls linearly from 1 to 0"));
    }

    @Override
    public String reference() {
        return "Bender et al., Can Weight Sharing Outperform Random Architecture"
                + " Search? An Investigation With TuNAS, CVPR 2020 (arXiv 2008.06120)";
    }

    @Override
    public String description() {
        return "a one-shot step trains all ops with probability falling linearly from 1 to 0 over the first fraction";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double fraction = resolve(params).number("fraction");
        return new SupernetSearchHook() {
            @Override
            public boolean trainAllOps(StepContext step) {
                return step.random("warmup-all-paths").nextDouble() < probability(fraction, step.progress());
            }
        };
    }

    /** p(t): 1 at the start, 0 from {@code fraction} of the search on. */
    static double probability(double fraction, double progress) {
        return progress >= fraction ? 0 : 1 - progress / fraction;
    }
}
