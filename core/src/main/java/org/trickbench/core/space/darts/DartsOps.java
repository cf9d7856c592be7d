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
 * DARTS's operations as DJL blocks ({@code OPS} of the authors' {@code cnn/operations.py}, with
 * affine BN as in the evaluation network): every op maps C channels to C, at stride 1 or 2.
 */
final class DartsOps {
    private static final String STRIDE_2 = ":, :, ::2, ::2";

    private DartsOps() {}

    static Block create(DartsOp op, int channels, int stride) {
        return switch (op) {
            // DARTS's Zero: zeros of the (strided) input's shape.
            case NONE -> LambdaBlock.singleton(x -> strided(x, stride).zerosLike(), "none");
            case MAX_POOL_3X3 -> Pool.maxPool2dBlock(new Shape(3, 3), new Shape(stride, stride), new Shape(1, 1));
            case AVG_POOL_3X3 -> AvgPool3x3.block(stride);
            case SKIP_CONNECT -> stride == 1 ? LambdaBlock.singleton(x -> x, "skip_connect") : new FactorizedReduce(channels);
            case SEP_CONV_3X3 -> separable(channels, 3, stride);
            case SEP_CONV_5X5 -> separable(channels, 5, stride);
            case DIL_CONV_3X3 -> dilated(channels, 3, stride);
            case DIL_CONV_5X5 -> dilated(channels, 5, stride);
        };
    }

    /** ReLU → 1×1 conv → BN, a cell's preprocessing of an input at the cell's own resolution. */
    static Block reluConvBn(int outChannels) {
        return new SequentialBlock().add(Activation.reluBlock()).add(conv(outChannels, 1, 1, 0, 1, 1))
                .add(BatchNorm.builder().build());
    }

    /** {@code SepConv}: two ReLU → depthwise k×k → pointwise 1×1 → BN stacks, the first one strided. */
    private static Block separable(int channels, int kernel, int stride) {
        return new SequentialBlock()
                .addAll(stack(channels, kernel, stride, 1))
                .addAll(stack(channels, kernel, 1, 1));
    }

    /** {@code DilConv}: ReLU → depthwise k×k with dilation 2 → pointwise 1×1 → BN. */
    private static Block dilated(int channels, int kernel, int stride) {
        return stack(channels, kernel, stride, 2);
    }

    private static SequentialBlock stack(int channels, int kernel, int stride, int dilation) {
        return new SequentialBlock()
                .add(Activation.reluBlock())
                .add(conv(channels, kernel, stride, dilation * (kernel - 1) / 2, dilation, channels))
                .add(conv(channels, 1, 1, 0, 1, 1))
                .add(BatchNorm.builder().build());
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
