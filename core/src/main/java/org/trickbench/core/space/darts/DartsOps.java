package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import org.trickbench.core.space.nb201.AvgPool3x3;

/**
 * DARTS's operations as DJL blocks ({@code OPS} of the authors' {@code cnn/operations.py}): every op
 * maps C channels to C, at stride 1 or 2. The evaluation network's BN is affine; the search network's
 * is not ({@code affine=False} in the authors' {@code cnn/model_search.py}), so that learnable scales
 * cannot stand in for the architecture weights.
 */
final class DartsOps {
    private static final String STRIDE_2 = ":, :, ::2, ::2";

    private DartsOps() {}

    /** The evaluation network's op, with affine BN. */
    static Block create(DartsOp op, int channels, int stride) {
        return create(op, channels, stride, true);
    }

    /** The op, its BN affine or not. */
    static Block create(DartsOp op, int channels, int stride, boolean affine) {
        return switch (op) {
            // DARTS's Zero: zeros of the (strided) input's shape.
            case NONE -> LambdaBlock.singleton(x -> strided(x, stride).zerosLike(), "none");
            case MAX_POOL_3X3 -> Pool.maxPool2dBlock(new Shape(3, 3), new Shape(stride, stride), new Shape(1, 1));
            case AVG_POOL_3X3 -> AvgPool3x3.block(stride);
            case SKIP_CONNECT -> stride == 1 ? LambdaBlock.singleton(x -> x, "skip_connect")
                    : new FactorizedReduce(channels, affine);
            case SEP_CONV_3X3 -> separable(channels, 3, stride, affine);
            case SEP_CONV_5X5 -> separable(channels, 5, stride, affine);
            case DIL_CONV_3X3 -> dilated(channels, 3, stride, affine);
            case DIL_CONV_5X5 -> dilated(channels, 5, stride, affine);
        };
    }

    /**
     * The search network's candidate: the op with BN that is not affine, and the pools followed by such a
     * BN, as the authors' {@code MixedOp} appends one to every op whose name contains "pool".
     */
    static Block searchCandidate(DartsOp op, int channels, int stride) {
        Block block = create(op, channels, stride, false);
        return op == DartsOp.MAX_POOL_3X3 || op == DartsOp.AVG_POOL_3X3
                ? new SequentialBlock().add(block).add(norm(false)) : block;
    }

    /** ReLU → 1×1 conv → BN, a cell's preprocessing of an input at the cell's own resolution. */
    static Block reluConvBn(int outChannels, boolean affine) {
        return new SequentialBlock().add(Activation.reluBlock()).add(conv(outChannels, 1, 1, 0, 1, 1))
                .add(norm(affine));
    }

    /** BatchNorm with learnable γ and β when {@code affine}, a plain normalisation otherwise. */
    static Block norm(boolean affine) {
        return BatchNorm.builder().optCenter(affine).optScale(affine).build();
    }

    /** {@code SepConv}: two ReLU → depthwise k×k → pointwise 1×1 → BN stacks, the first one strided. */
    private static Block separable(int channels, int kernel, int stride, boolean affine) {
        return new SequentialBlock()
                .addAll(stack(channels, kernel, stride, 1, affine))
                .addAll(stack(channels, kernel, 1, 1, affine));
    }

    /** {@code DilConv}: ReLU → depthwise k×k with dilation 2 → pointwise 1×1 → BN. */
    private static Block dilated(int channels, int kernel, int stride, boolean affine) {
        return stack(channels, kernel, stride, 2, affine);
    }

    private static SequentialBlock stack(int channels, int kernel, int stride, int dilation, boolean affine) {
        return new SequentialBlock()
                .add(Activation.reluBlock())
                .add(conv(channels, kernel, stride, dilation * (kernel - 1) / 2, dilation, channels))
                .add(conv(channels, 1, 1, 0, 1, 1))
                .add(norm(affine));
    }

    /** A convolution without bias, as every convolution of the DARTS network is. */
    static Block conv(int filters, int kernel, int stride, int padding, int dilation, int groups) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups)
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    private static NDArray strided(NDArray x, int stride) {
        return stride == 1 ? x : x.get(STRIDE_2);
    }
}
