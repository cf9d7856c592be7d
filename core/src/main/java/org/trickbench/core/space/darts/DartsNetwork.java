package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.space.nb201.GlobalMeanPool;
import org.trickbench.core.space.nb201.Nb201Network;

/**
 * DARTS's CIFAR evaluation network of a genotype ({@code NetworkCIFAR}; Liu et al., ICLR 2019, arXiv
 * 1806.09055), as {@link DartsCost} describes it: stem, L cells with reductions at L/3 and 2L/3, global
 * average pool and linear classifier, and optionally DARTS's auxiliary head on the output of cell 2L/3.
 * In training a network with the head returns {main logits, auxiliary logits}; otherwise, and always
 * in evaluation, only the main logits. Drop-path, which DARTS applies to the evaluation network's
 * edges, is not part of this block.
 */
public final class DartsNetwork extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block stem;
    private final List<Block> cells = new ArrayList<>();
    private final Block auxiliary;
    private final Block head;
    private final int auxiliaryAfter;

    private DartsNetwork(DartsGenotype genotype, DartsConfig config) {
        super(VERSION);
        int c = config.channels();
        stem = addChildBlock("stem", new SequentialBlock()
                .add(DartsOps.conv(DartsCost.STEM_MULTIPLIER * c, 3, 1, 1, 1, 1))
                .add(BatchNorm.builder().build()));
        int current = c;
        boolean reductionPrev = false;
        auxiliaryAfter = DartsCost.auxiliaryAfter(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = DartsCost.isReduction(i, config.layers());
            if (reduction) {
                current *= 2;
            }
            cells.add(addChildBlock("cell" + i, new DartsCell(genotype, current, reduction, reductionPrev)));
            reductionPrev = reduction;
        }
        auxiliary = config.auxiliary() ? addChildBlock("auxiliary_head", auxiliaryHead(config.classes())) : null;
        head = addChildBlock("classifier", new SequentialBlock()
                .add(GlobalMeanPool.block())
                .add(Nb201Network.classifier((long) DartsCost.MULTIPLIER * current, config.classes())));
    }

    /** The network of {@code genotype} shaped by {@code config}; initialise it with {@link #inputShape}. */
    public static DartsNetwork build(DartsGenotype genotype, DartsConfig config) {
        return new DartsNetwork(genotype, config);
    }

    /** The input shape of one batch, for {@code Block.initialize}. */
    public static Shape inputShape(DartsConfig config, int batch) {
        return new Shape(batch, config.inChannels(), config.height(), config.width());
    }

    /**
     * DARTS's {@code AuxiliaryHeadCIFAR}, for an 8×8 input (8 to 10 pixels): ReLU, 5×5 average pool at
     * stride 3 to 2×2, 1×1 conv to 128, BN, ReLU, 2×2 conv to 768 (1×1 out), BN, ReLU, linear.
     */
    private static Block auxiliaryHead(int classes) {
        return new SequentialBlock()
                .add(Activation.reluBlock())
                .add(Pool.avgPool2dBlock(new Shape(5, 5), new Shape(3, 3), new Shape(0, 0), false, false))
                .add(DartsOps.conv(128, 1, 1, 0, 1, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(DartsOps.conv(768, 2, 1, 0, 1, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Nb201Network.classifier(768, classes));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray s0 = stem.forward(ps, inputs, training, params).singletonOrThrow();
        NDArray s1 = s0;
        NDArray auxiliaryLogits = null;
        for (int i = 0; i < cells.size(); i++) {
            NDArray out = cells.get(i).forward(ps, new NDList(s0, s1), training, params).singletonOrThrow();
            s0 = s1;
            s1 = out;
            if (i == auxiliaryAfter && auxiliary != null && training) {
                auxiliaryLogits = auxiliary.forward(ps, new NDList(s1), true, params).singletonOrThrow();
            }
        }
        NDArray logits = head.forward(ps, new NDList(s1), training, params).singletonOrThrow();
        return auxiliaryLogits == null ? new NDList(logits) : new NDList(logits, auxiliaryLogits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {last(cellInputs(inputShapes[0]))[1]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        List<Shape[]> inputs = cellInputs(inputShapes[0]);
        for (int i = 0; i < cells.size(); i++) {
            cells.get(i).initialize(manager, dataType, inputs.get(i));
            if (i == auxiliaryAfter && auxiliary != null) {
                auxiliary.initialize(manager, dataType, inputs.get(i + 1)[1]);
            }
        }
        head.initialize(manager, dataType, last(inputs)[1]);
    }

    /**
     * The shapes {s0, s1} that each cell receives for a batch of {@code input}, and last those after the
     * last cell (its s1 the last cell's output).
     */
    private List<Shape[]> cellInputs(Shape input) {
        Shape s0 = stem.getOutputShapes(new Shape[] {input})[0];
        Shape s1 = s0;
        List<Shape[]> shapes = new ArrayList<>();
        for (Block cell : cells) {
            shapes.add(new Shape[] {s0, s1});
            Shape out = cell.getOutputShapes(new Shape[] {s0, s1})[0];
            s0 = s1;
            s1 = out;
        }
        shapes.add(new Shape[] {s0, s1});
        return shapes;
    }

    private static Shape[] last(List<Shape[]> shapes) {
        return shapes.get(shapes.size() - 1);
    }
}
