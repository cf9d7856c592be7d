package org.trickbench.core.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A supernet as a search trains it, in any space: its weights and its architecture tensors α held apart
 * (one optimiser each), how its edges combine their ops in the next forward pass (weighted, a Gumbel
 * sample, or one path), and what it proposes. NAS-Bench-201's supernet has one α; DARTS's has two
 * (normal and reduction cells), always listed in the same order.
 */
public interface TrainableSupernet extends Supernet, Block {
    /** The architecture tensors, in a fixed order: what the architecture optimiser owns. */
    List<Parameter> alphas();

    /** Every trainable parameter except α. */
    List<Parameter> weights();

    /**
     * The trainable parameters the last forward pass used: all of {@link #weights()} after a weighted
     * pass, only the sampled ops' (and the skeleton's) after a Gumbel or single-path one. A step updates
     * only these, as PyTorch's optimisers skip parameters that received no gradient.
     */
    List<Parameter> weightsOfLastPass();

    /** DARTS: every edge is the softmax(α)-weighted sum of its ops. */
    void useWeighted();

    /**
     * GDAS: the next forward passes run, per edge, the op of a hard Gumbel-softmax sample
     * ({@link GumbelSample}) alone, with straight-through weights. Passes that reuse the noise (a
     * recomputed gradient) see the same sample.
     *
     * @param noise standard Gumbel samples, one tensor per α of its shape, device and type
     * @param tau the softmax temperature τ &gt; 0
     */
    void useGumbel(List<NDArray> noise, double tau);

    /**
     * SPOS and random search with weight sharing: the next passes run only the ops of {@code path}, an
     * architecture of this supernet's space.
     */
    void useSinglePath(Architecture path);

    /** A uniformly random path of the space, as one-shot searches sample them. */
    Architecture randomPath(SplittableRandom random);

    /**
     * The architecture tensors the next forward passes use in place of the stored α, in {@link #alphas()}
     * order, until cleared with null (e.g. α plus noise during a weight step). No gradient reaches the
     * stored α through them.
     */
    void overrideAlphas(List<NDArray> alphas);

    /** After an architecture step: puts back what must not move (the α rows of fixed edges), if anything. */
    void holdFixedAlpha();

    /** Every α copied to the host, row (edge) by row, the tensors in {@link #alphas()} order. */
    double[][] alphaValues();

    /** Mean over edges of the entropy of softmax(α), in nats: log(ops) at a uniform start. */
    double meanEntropy();

    /** The entropy of softmax({@code logits}), in nats, computed in double. */
    static double entropy(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : logits) {
            z += Math.exp(v - max);
        }
        double h = 0;
        for (double v : logits) {
            double p = Math.exp(v - max) / z;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /** {@code block}'s output for {@code images} in inference mode (BatchNorm with its running statistics). */
    static NDArray inferenceOutput(Block block, NDArray images) {
        return block.forward(new ParameterStore(images.getManager(), false), new NDList(images), false)
                .singletonOrThrow();
    }
}
