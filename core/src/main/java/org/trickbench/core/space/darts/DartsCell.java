package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell of the DARTS evaluation network: it takes {s0, s1} (the outputs of the cells two back and
 * one back), preprocesses both to C channels at its input resolution, computes four nodes that each sum
 * two edges, and returns the four concatenated (4C channels). In a reduction cell the edges out of s0
 * and s1 stride by 2.
 *
 * <p>A third input, when given, holds drop-path's per-sample scales for the cell's edges, shaped
 * (edges, batch, 1, 1, 1) with entries 0 or 1/(1 − p): every edge but an identity ({@code skip_connect}
 * at stride 1) is multiplied by its own, as DARTS's {@code Cell.forward} does in training.
 */
final class DartsCell extends AbstractBlock {
    private final Block preprocess0;
    private final Block preprocess1;
    private final List<Block> ops = new ArrayList<>();
    private final int[] inputs = new int[DartsGenotype.EDGES];
    private final boolean[] identity = new boolean[DartsGenotype.EDGES];
    private final int channels;
    private final boolean reduction;

    /**
     * @param channels C, the channels of each node
     * @param reduction whether this cell halves the resolution
     * @param reductionPrev whether the previous cell did, so s0 is at twice s1's resolution
     */
    DartsCell(DartsGenotype genotype, int channels, boolean reduction, boolean reductionPrev) {
        super((byte) 1);
        this.channels = channels;
        this.reduction = reduction;
        preprocess0 = addChildBlock("preprocess0",
                reductionPrev ? new FactorizedReduce(channels) : DartsOps.reluConvBn(channels, true));
        preprocess1 = addChildBlock("preprocess1", DartsOps.reluConvBn(channels, true));
        List<DartsGenotype.Edge> edges = genotype.cell(reduction);
        for (int e = 0; e < edges.size(); e++) {
            DartsGenotype.Edge edge = edges.get(e);
            inputs[e] = edge.input();
            int stride = reduction && edge.input() < 2 ? 2 : 1;
            identity[e] = edge.op() == DartsOp.SKIP_CONNECT && stride == 1;
            ops.add(addChildBlock("op" + e + "_" + edge.op().id(), DartsOps.create(edge.op(), channels, stride)));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        List<NDArray> states = new ArrayList<>();
        states.add(preprocess0.forward(ps, new NDList(in.get(0)), training, params).singletonOrThrow());
        states.add(preprocess1.forward(ps, new NDList(in.get(1)), training, params).singletonOrThrow());
        NDArray dropPath = in.size() > 2 ? in.get(2) : null;
        for (int node = 0; node < DartsGenotype.NODES; node++) {
            NDArray a = edge(ps, 2 * node, states, dropPath, training, params);
            NDArray b = edge(ps, 2 * node + 1, states, dropPath, training, params);
            states.add(a.add(b));
        }
        return new NDList(NDArrays.concat(new NDList(states.subList(2, states.size())), 1));
    }

    private NDArray edge(ParameterStore ps, int e, List<NDArray> states, NDArray dropPath, boolean training,
            PairList<String, Object> params) {
        NDArray out = ops.get(e).forward(ps, new NDList(states.get(inputs[e])), training, params).singletonOrThrow();
        return dropPath == null || identity[e] ? out : out.mul(dropPath.get(e));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[1], channels, reduction)};
    }

    /** The output of a cell of C = {@code channels} whose input s1 has shape {@code s1}: 4C channels. */
    static Shape outputShape(Shape s1, int channels, boolean reduction) {
        int factor = reduction ? 2 : 1;
        return new Shape(s1.get(0), (long) DartsCost.MULTIPLIER * channels, s1.get(2) / factor, s1.get(3) / factor);
    }

    /**
     * The shape of state {@code state} of such a cell, the input of the edges out of it: s0 and s1 after
     * preprocessing are at s1's resolution, the nodes at the cell's output resolution (half of it in a
     * reduction cell); all have C channels.
     */
    static Shape stateShape(Shape s1, int channels, boolean reduction, int state) {
        Shape at = state < 2 ? s1 : outputShape(s1, channels, reduction);
        return new Shape(at.get(0), channels, at.get(2), at.get(3));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        preprocess0.initialize(manager, dataType, inputShapes[0]);
        preprocess1.initialize(manager, dataType, inputShapes[1]);
        for (int e = 0; e < ops.size(); e++) {
            ops.get(e).initialize(manager, dataType, stateShape(inputShapes[1], channels, reduction, inputs[e]));
        }
    }
}
