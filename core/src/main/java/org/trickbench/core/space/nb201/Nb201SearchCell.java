package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A supernet cell (xautodl {@code NAS201SearchCell}): the four-node DAG of {@link Nb201Cell} with a
 * {@link MixedOp} on each of the six edges. The supernet passes one {@link MixedOp.Selection} per
 * edge; every cell uses the same ones, because the benchmark's search models share one α across
 * all cells.
 */
public final class Nb201SearchCell extends AbstractBlock {
    private static final byte VERSION = 1;

    private final MixedOp[] edges = new MixedOp[Genotype.EDGES];

    public Nb201SearchCell(int channels, Nb201Ops ops) {
        super(VERSION);
        for (int e = 0; e < Genotype.EDGES; e++) {
            edges[e] = addChildBlock("edge" + Genotype.edgeSource(e) + "to" + Genotype.edgeTarget(e),
                    MixedOp.of(channels, ops));
        }
    }

    public MixedOp edge(int e) {
        return edges[e];
    }

    NDArray forward(ParameterStore ps, NDArray x, MixedOp.Selection[] selections, boolean training,
            PairList<String, Object> params) {
        NDArray[] nodes = new NDArray[Genotype.NODES];
        nodes[0] = x;
        int e = 0;
        for (int node = 1; node < Genotype.NODES; node++) {
            NDArray sum = null;
            for (int source = 0; source < node; source++, e++) {
                NDArray out = edges[e].forward(ps, nodes[source], selections[e], training, params);
                sum = sum == null ? out : sum.add(out);
            }
            nodes[node] = sum;
        }
        return nodes[Genotype.NODES - 1];
    }

    /** Only the supernet, which computes the selections, can run a search cell. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException("a search cell runs inside Nb201Supernet, which supplies its edge selections");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (MixedOp edge : edges) {
            edge.initialize(manager, dataType, inputShapes[0]);
        }
    }
}
