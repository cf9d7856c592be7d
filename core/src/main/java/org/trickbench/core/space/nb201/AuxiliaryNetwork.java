package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A network with an auxiliary classifier (Szegedy et al. 2015; DARTS's {@code AuxiliaryHeadCIFAR},
 * Liu et al., ICLR 2019, arXiv 1806.09055): the trunk's output feeds both the rest of the network and
 * the head. In training it returns {main logits, auxiliary logits}; in evaluation only the main logits,
 * so accuracy and inference never see the head.
 */
public final class AuxiliaryNetwork extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block trunk;
    private final Block auxiliary;
    private final Block rest;

    AuxiliaryNetwork(Block trunk, Block auxiliary, Block rest) {
        super(VERSION);
        this.trunk = addChildBlock("trunk", trunk);
        this.rest = addChildBlock("rest", rest);
        this.auxiliary = addChildBlock("auxiliary", auxiliary);
    }

    Block trunk() {
        return trunk;
    }

    Block rest() {
        return rest;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList features = trunk.forward(ps, inputs, training, params);
        NDArray main = rest.forward(ps, features, training, params).singletonOrThrow();
        if (!training) {
            return new NDList(main);
        }
        return new NDList(main, auxiliary.forward(ps, features, true, params).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return rest.getOutputShapes(trunk.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
        Shape[] features = trunk.getOutputShapes(inputShapes);
        rest.initialize(manager, dataType, features);
        auxiliary.initialize(manager, dataType, features);
    }
}
