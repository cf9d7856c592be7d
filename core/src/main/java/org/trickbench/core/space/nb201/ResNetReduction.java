package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The benchmark's reduction block between stages, a ResNet basic block with stride 2
 * (xautodl {@code ResNetBasicblock}): a = ReLU–Conv3×3/2–BN, b = ReLU–Conv3×3–BN, shortcut =
 * AvgPool 2×2/2 → Conv1×1 (no BN, no bias); output = shortcut(x) + b(a(x)).
 */
public final class ResNetReduction extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block a;
    private final Block b;
    private final Block shortcut;

    public ResNetReduction(int outChannels, Nb201Ops ops) {
        super(VERSION);
        a = addChildBlock("conv_a", ops.reluConvBn(outChannels, 3, 2, 1));
        b = addChildBlock("conv_b", ops.reluConvBn(outChannels, 3, 1, 1));
        shortcut = addChildBlock("shortcut", new SequentialBlock()
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0)))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(outChannels)
                        .optGroups(ops.convolutionGroups()).optBias(false).build()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = new NDList(inputs.singletonOrThrow());
        NDArray residual = b.forward(ps, a.forward(ps, x, training, params), training, params).singletonOrThrow();
        NDArray skip = shortcut.forward(ps, x, training, params).singletonOrThrow();
        return new NDList(skip.add(residual));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return b.getOutputShapes(a.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        a.initialize(manager, dataType, inputShapes);
        b.initialize(manager, dataType, a.getOutputShapes(inputShapes));
        shortcut.initialize(manager, dataType, inputShapes);
    }
}
