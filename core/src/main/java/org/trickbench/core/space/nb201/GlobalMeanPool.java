package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.trickbench.core.nd.Scalars;

/**
 * Global average pooling as a plain mean over height and width, giving the (N, C) shape that
 * DJL's {@code Pool.globalAvgPool2dBlock()} gives. DJL's block is libtorch's
 * {@code adaptive_avg_pool2d}, whose CUDA backward accumulates with atomics and is therefore not
 * deterministic (PyTorch lists it among the operations {@code torch.use_deterministic_algorithms}
 * rejects). The mean's backward is a broadcast of the output gradient divided by H·W: deterministic on
 * every device, and the same function (see docs/gpu.md, "Deterministic kernels").
 */
public final class GlobalMeanPool extends AbstractBlock {
    private static final int[] SPATIAL = {2, 3};

    private GlobalMeanPool() {}

    /** The pooling block for a network head: (N, C, H, W) to (N, C). */
    public static Block block() {
        return new GlobalMeanPool();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // DJL's PyTorch mean takes one axis; a sum over both divided by H·W is libtorch's own mean.
        // The divisor goes through Scalars: div(Number) hands autograd a constant in memory that Java
        // may free before the backward pass reads it.
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        return new NDList(Scalars.div(x.sum(SPATIAL), shape.get(2) * shape.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1))};
    }
}
