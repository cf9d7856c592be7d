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
 * One cell of the DARTS search network (the authors' {@code Cell} in {@code cnn/model_search.py}): it
 * preprocesses {s0, s1} to C channels (ReLU → 1×1 conv → BN, or a factorized reduction of s0 when the
 * previous cell reduced; no BN affine), then node i (0..3) sums one {@link DartsMixedOp} from each
 * earlier state 0..i+1, fourteen edges in all, and the cell concatenates the four nodes (4C channels).
 * Edge {@link DartsSupernet#edge(int, int) edge(i, j)} leads from state j into node i; in a reduction
 * cell the edges out of s0 and s1 stride by 2.
 */
final class DartsSearchCell extends AbstractBlock {
    private final Block preprocess0;
    private final Block preprocess1;
    private final DartsMixedOp[] edges = new DartsMixedOp[DartsSupernet.MIXED_EDGES];
    private final int channels;
    private final boolean reduction;

    DartsSearchCell(int channels, boolean reduction, boolean reductionPrev) {
        super((byte) 1);
        this.channels = channels;
        this.reduction = reduction;
        preprocess0 = addChildBlock("preprocess0",
                reductionPrev ? new FactorizedReduce(channels, false) : DartsOps.reluConvBn(channels, false));
        preprocess1 = addChildBlock("preprocess1", DartsOps.reluConvBn(channels, false));
        for (int node = 0; node < DartsGenotype.NODES; node++) {
            for (int input = 0; input < node + 2; input++) {
                int stride = reduction && input < 2 ? 2 : 1;
                edges[DartsSupernet.edge(node, input)] =
                        addChildBlock("edge" + input + "to" + (node + 2), new DartsMixedOp(channels, stride));
            }
        }
    }

    boolean reduction() {
        return reduction;
    }

    DartsMixedOp edge(int e) {
        return edges[e];
    }

    /** The two preprocessing blocks, which every route through the cell runs. */
    List<Block> preprocess() {
        return List.of(preprocess0, preprocess1);
    }

    /**
     * How the edges of one cell type combine their ops in one pass: weighted by {@code weights} (14 × 8
     * scalars, softmax(α)) when {@code chosen} is null, otherwise op {@code chosen[e]} alone on edge e,
     * with {@code weights} the straight-through Gumbel weights and {@code others} their sums over the
     * other ops (GDAS).
     */
    record EdgeWeights(NDArray[][] weights, long[] chosen, NDArray[] others) {}

    /**
     * The cell's output along one of two routes: {@code weights} (this cell type's) runs every mixed edge,
     * weighted or one sampled op each; otherwise {@code path} (this cell's eight genotype edges) runs, into
     * each node, only the op its two genotype edges name, on the mixed edges they take.
     */
    NDArray forward(ParameterStore ps, NDArray s0, NDArray s1, EdgeWeights weights, List<DartsGenotype.Edge> path,
            boolean training, PairList<String, Object> params) {
        List<NDArray> states = new ArrayList<>();
        states.add(preprocess0.forward(ps, new NDList(s0), training, params).singletonOrThrow());
        states.add(preprocess1.forward(ps, new NDList(s1), training, params).singletonOrThrow());
        for (int node = 0; node < DartsGenotype.NODES; node++) {
            NDArray sum = null;
            if (weights != null) {
                for (int input = 0; input < node + 2; input++) {
                    int e = DartsSupernet.edge(node, input);
                    NDArray out = weights.chosen() == null
                            ? edges[e].weighted(ps, states.get(input), weights.weights()[e], training, params)
                            : edges[e].oneHot(ps, states.get(input), weights.weights()[e], (int) weights.chosen()[e],
                                    weights.others()[e], training, params);
                    sum = sum == null ? out : sum.add(out);
                }
            } else {
                for (DartsGenotype.Edge g : path.subList(2 * node, 2 * node + 2)) {
                    NDArray out = edges[DartsSupernet.edge(node, g.input())].run(ps, g.op(), states.get(g.input()),
                            training, params);
                    sum = sum == null ? out : sum.add(out);
                }
            }
            states.add(sum);
        }
        return NDArrays.concat(new NDList(states.subList(2, states.size())), 1);
    }

    /** Only the supernet, which computes the edge weights, can run a search cell. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a DARTS search cell runs inside DartsSupernet, which supplies its"
                + " edge weights");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {DartsCell.outputShape(inputShapes[1], channels, reduction)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        preprocess0.initialize(manager, dataType, inputShapes[0]);
        preprocess1.initialize(manager, dataType, inputShapes[1]);
        for (int node = 0; node < DartsGenotype.NODES; node++) {
            for (int input = 0; input < node + 2; input++) {
                edges[DartsSupernet.edge(node, input)].initialize(manager, dataType,
                        DartsCell.stateShape(inputShapes[1], channels, reduction, input));
            }
        }
    }
}
