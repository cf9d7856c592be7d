package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 3×3 average pooling, stride 1, padding 1, with padding NOT counted in the average, as the
 * benchmark's {@code POOLING} op ({@code nn.AvgPool2d(3, 1, 1, count_include_pad=False)}).
 *
 * <p>DJL 0.36's PyTorch engine ignores the {@code countIncludePad} flag of {@code avgPool2d} and always
 * counts the padding (a 3×3 window on a corner of all-ones returns 4/9). So this block pools with the
 * padding counted and divides by the same pooling of an all-ones plane, which is the share of real
 * pixels in each window: sum / 9 ÷ (n / 9) = sum / n, exactly the uncounted average.
 */
final class AvgPool3x3 extends AbstractBlock {
    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape STRIDE = new Shape(1, 1);
    private static final Shape PAD = new Shape(1, 1);

    AvgPool3x3() {
        super((byte) 1);
    }

    static NDArray pool(NDArray x) {
        Shape s = x.getShape();
        NDArray padded = Pool.avgPool2d(x, KERNEL, STRIDE, PAD, false, true);
        NDArray share = Pool.avgPool2d(x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice()),
                KERNEL, STRIDE, PAD, false, true);
        return padded.div(share);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(pool(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
