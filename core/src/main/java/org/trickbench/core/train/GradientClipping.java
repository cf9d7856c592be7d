package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Gradient clipping by the global L2 norm, as PyTorch's {@code torch.nn.utils.clip_grad_norm_}, which
 * the DARTS and NAS-Bench-201 scripts call with 5 before every weight step: the gradients, taken
 * together as one vector, are scaled by min(1, max / (‖g‖ + 1e-6)). Computed on the device without a
 * host round trip.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Scales {@code gradients} in place so that their global norm is at most {@code maxNorm}, and returns
     * the norm before clipping (a scalar array on their device); nothing to clip returns null.
     */
    public static NDArray clip(List<NDArray> gradients, double maxNorm) {
        NDArray total = null;
        for (NDArray g : gradients) {
            NDArray sq = g.square().sum();
            total = total == null ? sq : total.add(sq);
        }
        if (total == null) {
            return null;
        }
        NDArray norm = total.sqrt();
        NDArray coefficient = norm.add(1e-6).pow(-1).mul(maxNorm).minimum(1);
        for (NDArray g : gradients) {
            g.muli(coefficient);
        }
        return norm;
    }

    /**
     * Clips the gradients of {@code weights} (those that have one) as {@link #clip} does, the protocol's
     * {@code grad-clip} before each weight step; nothing happens when {@code maxNorm} is 0 (off).
     */
    public static void clipWeights(List<NDArray> weights, double maxNorm) {
        if (maxNorm > 0) {
            clip(weights.stream().filter(NDArray::hasGradient).map(NDArray::getGradient).toList(), maxNorm);
        }
    }
}
