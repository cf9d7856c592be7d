package org.trickbench.core.space;

import ai.djl.ndarray.NDArray;
import org.trickbench.core.nd.Scalars;

/**
 * GDAS's hard Gumbel-softmax sample over the rows of an architecture tensor (Dong & Yang, CVPR 2019, arXiv
 * 1910.04465; xautodl {@code TinyNetworkGDAS.forward}), the same in every space: per row (edge) p =
 * softmax((log softmax(α) + g) / τ), the op k = argmax p, and the straight-through weights h = one_hot(k)
 * − stop_gradient(p) + p, which are one-hot in value and pass p's gradient to α. A mixed edge runs op k
 * alone and outputs h_k · op_k(x) + Σ_{j≠k} h_j ({@link #others}): the other terms are zero in value but
 * pass a gradient to their α, as the benchmark's {@code forward_gdas} does.
 *
 * @param weights h, of the logits' shape (edges × ops)
 * @param chosen k per edge
 */
public record GumbelSample(NDArray weights, long[] chosen) {

    /**
     * The sample of {@code logits} (α, already masked where an edge allows fewer ops) under the noise g.
     *
     * @param gumbel standard Gumbel samples of the logits' shape, device and type
     * @param tau the softmax temperature τ &gt; 0
     */
    public static GumbelSample draw(NDArray logits, NDArray gumbel, double tau) {
        requireTemperature(tau);
        NDArray p = Scalars.div(logits.logSoftmax(1).add(gumbel), tau).softmax(1);
        NDArray index = p.argMax(1);
        long[] chosen = index.toLongArray();
        NDArray hot = index.oneHot((int) logits.getShape().get(1), p.getDataType());
        return new GumbelSample(hot.sub(p.stopGradient()).add(p), chosen);
    }

    /** @throws IllegalArgumentException unless τ &gt; 0 */
    public static void requireTemperature(double tau) {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("the Gumbel-softmax temperature must be > 0, got " + tau);
        }
    }

    /** Σ_{j≠choice} h_j of one edge's straight-through weights, added in op order: zero in value. */
    public static NDArray others(NDArray[] weights, int choice) {
        NDArray others = null;
        for (int j = 0; j < weights.length; j++) {
            if (j != choice) {
                others = others == null ? weights[j] : others.add(weights[j]);
            }
        }
        return others;
    }
}
