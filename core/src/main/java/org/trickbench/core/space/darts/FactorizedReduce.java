package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DARTS's {@code FactorizedReduce}: ReLU, then two stride-2 1×1 convolutions to C_out/2 channels each,
 * the second reading the input shifted by one pixel, concatenated and batch-normalised. It halves the
 * side (which must be even) without discarding three pixels in four, and is both a reduction cell's
 * {@code skip_connect} and the preprocessing of the input from two cells back after a reduction. Its BN
 * is affine in the evaluation network and not in the search network.
 */
final class FactorizedReduce extends AbstractBlock {
    private static final String SHIFTED = ":, :, 1:, 1:";

    private final Block even;
    private final Block odd;
    private final Block norm;
    private final int outChannels;

    FactorizedReduce(int outChannels) {
        this(outChannels, true);
    }

    FactorizedReduce(int outChannels, boolean affine) {
        super((byte) 1);
        if (outChannels % 2 != 0) {
            throw new IllegalArgumentException("a factorized reduction needs an even channel count, got " + outChannels);
        }
        this.outChannels = outChannels;
        this.even = addChildBlock("conv_1", DartsOps.conv(outChannels / 2, 1, 2, 0, 1, 1));
        this.odd = addChildBlock("conv_2", DartsOps.conv(outChannels / 2, 1, 2, 0, 1, 1));
        this.norm = addChildBlock("bn", DartsOps.norm(affine));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = Activation.relu(inputs.singletonOrThrow());
        NDArray a = even.forward(ps, new NDList(x), training, params).singletonOrThrow();
        NDArray b = odd.forward(ps, new NDList(x.get(SHIFTED)), training, params).singletonOrThrow();
        return norm.forward(ps, new NDList(NDArrays.concat(new NDList(a, b), 1)), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, in.get(2) / 2, in.get(3) / 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        even.initialize(manager, dataType, in);
        odd.initialize(manager, dataType, new Shape(in.get(0), in.get(1), in.get(2) - 1, in.get(3) - 1));
        norm.initialize(manager, dataType, getOutputShapes(inputShapes));
    }
}
