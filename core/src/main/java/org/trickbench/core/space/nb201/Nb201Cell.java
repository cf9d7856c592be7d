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
 * A NAS-Bench-201 inference cell (xautodl {@code InferCell}): node 0 is the input, node j is the sum
 * over i &lt; j of op_ij(node i), and node 3 is the output. Channels and resolution are preserved.
 * Edges with {@code none} contribute exactly zero, so they are skipped rather than multiplied by 0.
 */
public final class Nb201Cell extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Genotype genotype;
    private final Block[] edges = new Block[Genotype.EDGES];
    private final Nb201Ops.EdgeOutput edgeOutput;

    public Nb201Cell(Genotype genotype, int channels, Nb201Ops ops) {
        super(VERSION);
        this.genotype = genotype;
        this.edgeOutput = ops.edgeOutput();
        for (int e = 0; e < Genotype.EDGES; e++) {
            edges[e] = addChildBlock(edgeName(e), ops.create(genotype.op(e), channels));
        }
    }

    private static String edgeName(int e) {
        return "edge" + Genotype.edgeSource(e) + "to" + Genotype.edgeTarget(e);
    }

    public Genotype genotype() {
        return genotype;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(output(inputs.singletonOrThrow(), (e, source) -> {
            if (genotype.op(e) == Nb201Op.NONE) {
                return null;
            }
            NDArray out = edges[e].forward(ps, new NDList(source), training, params).singletonOrThrow();
            return edgeOutput.apply(genotype.op(e), out, training);
        }));
    }

    /** What edge {@code e} adds to its target node from its source node's value; null when nothing. */
    @FunctionalInterface
    interface Edge {
        NDArray apply(int e, NDArray source);
    }

    /**
     * A cell's output for {@code input}: node j is the sum over i &lt; j of what edge i→j adds, summed in
     * edge order, and zero where no edge adds anything; node 3 is the output.
     */
    static NDArray output(NDArray input, Edge edge) {
        NDArray[] nodes = new NDArray[Genotype.NODES];
        nodes[0] = input;
        int e = 0;
        for (int node = 1; node < Genotype.NODES; node++) {
            NDArray sum = null;
            for (int source = 0; source < node; source++, e++) {
                NDArray out = edge.apply(e, nodes[source]);
                if (out != null) {
                    sum = sum == null ? out : sum.add(out);
                }
            }
            nodes[node] = sum == null ? nodes[0].zerosLike() : sum;
        }
        return nodes[Genotype.NODES - 1];
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block edge : edges) {
            edge.initialize(manager, dataType, inputShapes);
        }
    }
}
