package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.function.Supplier;

/**
 * Builds the benchmark's operations as DJL blocks (xautodl {@code OPS}, stride 1, C_in = C_out).
 * The activation and normalisation factories are the network builder's configuration points: a
 * trick that swaps ReLU for Swish or BatchNorm for GroupNorm replaces them here, never in a block.
 * Likewise the cell's edge-output transform (drop-path) and the optional auxiliary head.
 */
public final class Nb201Ops {
    private final Supplier<Block> activation;
    private final Supplier<Block> normalization;
    private final EdgeOutput edgeOutput;
    private final AuxiliaryHead auxiliaryHead;
    private final MixedEdgeOutput mixedEdgeOutput;
    private final int groups;

    public Nb201Ops(Supplier<Block> activation, Supplier<Block> normalization) {
        this(activation, normalization, EdgeOutput.IDENTITY, null, MixedEdgeOutput.IDENTITY, 1);
    }

    private Nb201Ops(Supplier<Block> activation, Supplier<Block> normalization, EdgeOutput edgeOutput,
            AuxiliaryHead auxiliaryHead, MixedEdgeOutput mixedEdgeOutput) {
        this(activation, normalization, edgeOutput, auxiliaryHead, mixedEdgeOutput, 1);
    }

    private Nb201Ops(Supplier<Block> activation, Supplier<Block> normalization, EdgeOutput edgeOutput,
            AuxiliaryHead auxiliaryHead, MixedEdgeOutput mixedEdgeOutput, int groups) {
        this.activation = activation;
        this.normalization = normalization;
        this.edgeOutput = edgeOutput;
        this.auxiliaryHead = auxiliaryHead;
        this.mixedEdgeOutput = mixedEdgeOutput;
        this.groups = groups;
    }

    /**
     * What a cell does with one edge's output before summing it into the target node (e.g.
     * drop-path). Called for every edge that is not {@code none}, with the edge's op, in training and
     * in evaluation; an implementation decides what to do in each.
     */
    @FunctionalInterface
    public interface EdgeOutput {
        EdgeOutput IDENTITY = (op, output, training) -> output;

        NDArray apply(Nb201Op op, NDArray output, boolean training);
    }

    /**
     * What a supernet edge ({@link MixedOp}) makes of its combined output, given the edge's input (e.g.
     * DARTS-' auxiliary skip connection). Called once per edge and forward pass, in every mode, in
     * training and in evaluation; standalone cells never call it.
     */
    @FunctionalInterface
    public interface MixedEdgeOutput {
        MixedEdgeOutput IDENTITY = (input, mixed, training) -> mixed;

        NDArray apply(NDArray input, NDArray mixed, boolean training);
    }

    /**
     * An auxiliary classifier fed by the last cell of the second stage. In training the network then
     * returns {main logits, auxiliary logits}; in evaluation only the main logits.
     */
    @FunctionalInterface
    public interface AuxiliaryHead {
        /** The head for an input of {@code channels} channels, built with {@code ops}' activation and norm. */
        Block create(int channels, int classes, Nb201Ops ops);
    }

    public Nb201Ops withActivation(Supplier<Block> a) {
        return new Nb201Ops(a, normalization, edgeOutput, auxiliaryHead, mixedEdgeOutput);
    }

    public Nb201Ops withNormalization(Supplier<Block> n) {
        return new Nb201Ops(activation, n, edgeOutput, auxiliaryHead, mixedEdgeOutput);
    }

    /** These ops with {@code e} applied after the current edge-output transform. */
    public Nb201Ops withEdgeOutput(EdgeOutput e) {
        EdgeOutput before = edgeOutput;
        EdgeOutput chained = before == EdgeOutput.IDENTITY ? e
                : (op, output, training) -> e.apply(op, before.apply(op, output, training), training);
        return new Nb201Ops(activation, normalization, chained, auxiliaryHead, mixedEdgeOutput);
    }

    public Nb201Ops withAuxiliaryHead(AuxiliaryHead head) {
        return new Nb201Ops(activation, normalization, edgeOutput, head, mixedEdgeOutput);
    }

    /** These ops with {@code m} applied to every supernet edge's output after the current one. */
    public Nb201Ops withMixedEdgeOutput(MixedEdgeOutput m) {
        MixedEdgeOutput before = mixedEdgeOutput;
        return new Nb201Ops(activation, normalization, edgeOutput, auxiliaryHead,
                (input, mixed, training) -> m.apply(input, before.apply(input, mixed, training), training));
    }

    /**
     * These ops with every convolution split into {@code k} groups: channel counts are then those of
     * {@code k} networks side by side, group i seeing only network i's channels ({@link Nb201GroupedNetwork}).
     * Only the benchmark's own ReLU and BatchNorm act per channel and so per network; other ops keep groups 1.
     */
    public Nb201Ops withConvolutionGroups(int k) {
        if (k < 1 || edgeOutput != EdgeOutput.IDENTITY || auxiliaryHead != null
                || mixedEdgeOutput != MixedEdgeOutput.IDENTITY) {
            throw new IllegalArgumentException("convolution groups " + k + " need k >= 1 and ops without"
                    + " edge-output transforms or auxiliary heads");
        }
        return new Nb201Ops(activation, normalization, edgeOutput, auxiliaryHead, mixedEdgeOutput, k);
    }

    /** Groups of every convolution these ops build: 1 for one network, k for {@code k} side by side. */
    public int convolutionGroups() {
        return groups;
    }

    public MixedEdgeOutput mixedEdgeOutput() {
        return mixedEdgeOutput;
    }

    public EdgeOutput edgeOutput() {
        return edgeOutput;
    }

    /** The auxiliary head, or null when the network has none (the benchmark's own networks). */
    public AuxiliaryHead auxiliaryHead() {
        return auxiliaryHead;
    }

    /** The benchmark's choice: ReLU, and BatchNorm with affine parameters and running statistics. */
    public static Nb201Ops standard() {
        return new Nb201Ops(Activation::reluBlock, () -> BatchNorm.builder().build());
    }

    public Block activation() {
        return activation.get();
    }

    public Block normalization() {
        return normalization.get();
    }

    public Block create(Nb201Op op, int channels) {
        return switch (op) {
            // Never run: the cell skips 'none' edges. Kept as a block so every edge has a child.
            case NONE -> LambdaBlock.singleton(x -> x.zerosLike(), "none");
            case SKIP_CONNECT -> LambdaBlock.singleton(x -> x, "skip_connect");
            case NOR_CONV_1X1 -> reluConvBn(channels, 1, 1, 0);
            case NOR_CONV_3X3 -> reluConvBn(channels, 3, 1, 1);
            case AVG_POOL_3X3 -> new AvgPool3x3();
        };
    }

    /** ReLU → Conv (no bias) → BN, the benchmark's {@code ReLUConvBN}. */
    public Block reluConvBn(int outChannels, int kernel, int stride, int padding) {
        return new SequentialBlock()
                .add(activation())
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(padding, padding))
                        .setFilters(outChannels)
                        .optGroups(groups)
                        .optBias(false)
                        .build())
                .add(normalization());
    }
}
