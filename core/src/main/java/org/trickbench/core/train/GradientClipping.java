package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Clipping of the global gradient norm, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} (which DARTS's
 * {@code train.py} calls with 5 before each weight update): with ‖g‖ the L2 norm of all gradients together,
 * every gradient is multiplied by min(1, max / (‖g‖ + 1e-6)), on the device, without a host round trip.
 */
public final class GradientClipping {
    /** PyTorch's guard against a zero norm. */
    static final double EPSILON = 1e-6;

    private GradientClipping() {}

    /**
     * Scales the gradients of {@code weights} in place so that their global L2 norm is at most {@code maxNorm};
     * weights without a gradient are left out. Nothing happens when {@code maxNorm} is 0.
     */
    public static void clip(List<NDArray> weights, double maxNorm) {
        if (maxNorm <= 0) {
            return;
        }
        NDArray total = null;
        for (NDArray w : weights) {
            if (w.hasGradient()) {
                NDArray sq = w.getGradient().square().sum();
                total = total == null ? sq : total.add(sq);
            }
        }
        if (total == null) {
            return;
        }
        NDArray coefficient = total.sqrt().add(EPSILON).pow(-1).mul(maxNorm).minimum(1);
        for (NDArray w : weights) {
            if (w.hasGradient()) {
                w.getGradient().muli(coefficient);
            }
        }
    }
}
