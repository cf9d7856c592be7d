package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 3×3 average pooling, padding 1, with padding NOT counted in the average, as the benchmark's
 * {@code POOLING} op ({@code nn.AvgPool2d(3, 1, 1, count_include_pad=False)}) at stride 1 and DARTS's
 * {@code avg_pool_3x3} at stride 1 or 2.
 *
 * <p>DJL 0.36's PyTorch engine ignores the {@code countIncludePad} flag of {@code avgPool2d} and always
 * counts the padding (a 3×3 window on a corner of all-ones returns 4/9). So this block pools with the
 * padding counted and divides by the same pooling of an all-ones plane, which is the share of real
 * pixels in each window: sum / 9 ÷ (n / 9) = sum / n, exactly the uncounted average.
 */
public final class AvgPool3x3 extends AbstractBlock {
    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape PAD = new Shape(1, 1);

    private final int stride;

    AvgPool3x3() {
        this(1);
    }

    private AvgPool3x3(int stride) {
        super((byte) 1);
        this.stride = stride;
    }

    /** The pooling block at {@code stride} (1 keeps the size, 2 halves it, rounding up). */
    public static AvgPool3x3 block(int stride) {
        return new AvgPool3x3(stride);
    }

    static NDArray pool(NDArray x) {
        return pool(x, 1);
    }

    static NDArray pool(NDArray x, int stride) {
        Shape s = x.getShape();
        Shape strides = new Shape(stride, stride);
        NDArray padded = Pool.avgPool2d(x, KERNEL, strides, PAD, false, true);
        NDArray share = Pool.avgPool2d(x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice()),
                KERNEL, strides, PAD, false, true);
        return padded.div(share);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(pool(inputs.singletonOrThrow(), stride));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), pooled(in.get(2)), pooled(in.get(3)))};
    }

    private long pooled(long side) {
        return (side - 1) / stride + 1;
    }
}
