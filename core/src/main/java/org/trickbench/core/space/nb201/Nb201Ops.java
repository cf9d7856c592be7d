package org.trickbench.core.space.nb201;

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
 */
public final class Nb201Ops {
    private final Supplier<Block> activation;
    private final Supplier<Block> normalization;

    public Nb201Ops(Supplier<Block> activation, Supplier<Block> normalization) {
        this.activation = activation;
        this.normalization = normalization;
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
                        .optBias(false)
                        .build())
                .add(normalization());
    }
}
