package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.StepContext;

/** Step contexts for calling hooks directly, outside a training loop. */
final class Steps {
    private Steps() {}

    /** Step {@code step} of a run of {@code totalEpochs} epochs × 10 steps, seeded with 1. */
    static StepContext at(int epoch, int totalEpochs, long step) {
        return new StepContext(epoch, totalEpochs, step, totalEpochs * 10L, 0.1, null, new Seeds(1), List.of());
    }

    static StepContext first() {
        return at(0, 1, 0);
    }

    /** A context whose parameters are {@code weights} and whose recomputation runs {@code recompute}. */
    static StepContext withWeights(List<NDArray> weights, Runnable recompute) {
        return new StepContext(0, 1, 0, 10, 0.1, recompute, new Seeds(1), weights);
    }
}
