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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of K NAS-Bench-201 networks of different genotypes side by side, for
 * {@link Nb201GroupedNetwork#build(List, NetworkConfig)}: network i owns channels [i·C, (i+1)·C). On every
 * edge each op that some network uses there runs over all K·C channels (convolutions in K groups, so
 * per network), and its output is multiplied by a fixed 0/1 mask that keeps it only on the channels of
 * the networks that use it. On network i's channels an edge is then 1·op_i(x) plus exact zeros, or
 * exact zeros where network i's edge is {@code none}: the values of network i's own cell
 * ({@link Nb201Cell}), with the same sums in the same order, and no gradient reaches an op slab a network
 * does not use (its output is multiplied by 0).
 */
final class Nb201MixedCell extends AbstractBlock {
    private static final byte VERSION = 1;

    private final List<Genotype> genotypes;
    private final int channels;
    /** Per edge, the ops some network uses there (not {@code none}), in {@link Nb201Op} order. */
    private final List<Map<Nb201Op, Block>> edges = new ArrayList<>();
    /** Per edge and op, the mask (1, K·C, 1, 1); absent where every network uses the op (no mask needed). */
    private final List<Map<Nb201Op, NDArray>> masks = new ArrayList<>();

    /**
     * @param genotypes network i's genotype at index i
     * @param channels the channels of all networks together, K·C
     * @param ops the ops with convolutions in K groups
     */
    Nb201MixedCell(List<Genotype> genotypes, int channels, Nb201Ops ops) {
        super(VERSION);
        this.genotypes = List.copyOf(genotypes);
        this.channels = channels;
        if (ops.convolutionGroups() != genotypes.size() || channels % genotypes.size() != 0) {
            throw new IllegalArgumentException("a mixed cell of " + genotypes.size() + " networks needs as many"
                    + " convolution groups (got " + ops.convolutionGroups() + ") and channels a multiple of them (got "
                    + channels + ")");
        }
        for (int e = 0; e < Genotype.EDGES; e++) {
            Map<Nb201Op, Block> blocks = new EnumMap<>(Nb201Op.class);
            for (Nb201Op op : Nb201Op.values()) {
                if (op != Nb201Op.NONE && users(e, op) > 0) {
                    blocks.put(op, addChildBlock("edge" + Genotype.edgeSource(e) + "to" + Genotype.edgeTarget(e)
                            + "_" + op.id(), ops.create(op, channels)));
                }
            }
            edges.add(blocks);
            masks.add(new EnumMap<>(Nb201Op.class));
        }
    }

    private int users(int edge, Nb201Op op) {
        return (int) genotypes.stream().filter(g -> g.op(edge) == op).count();
    }

    /** The op blocks of this cell that network {@code genotype} does not use: their slabs are not its weights. */
    List<Block> unusedBy(Genotype genotype) {
        List<Block> unused = new ArrayList<>();
        for (int e = 0; e < Genotype.EDGES; e++) {
            for (Map.Entry<Nb201Op, Block> op : edges.get(e).entrySet()) {
                if (op.getKey() != genotype.op(e)) {
                    unused.add(op.getValue());
                }
            }
        }
        return unused;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(Nb201Cell.output(inputs.singletonOrThrow(), (e, source) -> {
            NDArray edge = null;
            for (Map.Entry<Nb201Op, Block> op : edges.get(e).entrySet()) {
                NDArray out = op.getValue().forward(ps, new NDList(source), training, params).singletonOrThrow();
                NDArray mask = masks.get(e).get(op.getKey());
                if (mask != null) {
                    out = out.mul(mask);
                }
                edge = edge == null ? out : edge.add(out);
            }
            return edge;
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int runs = genotypes.size();
        int perRun = channels / runs;
        for (int e = 0; e < Genotype.EDGES; e++) {
            for (Map.Entry<Nb201Op, Block> op : edges.get(e).entrySet()) {
                op.getValue().initialize(manager, dataType, inputShapes);
                if (users(e, op.getKey()) == runs) {
                    continue;
                }
                float[] mask = new float[channels];
                for (int i = 0; i < runs; i++) {
                    if (genotypes.get(i).op(e) == op.getKey()) {
                        Arrays.fill(mask, i * perRun, (i + 1) * perRun, 1f);
                    }
                }
                NDArray old = masks.get(e).put(op.getKey(),
                        manager.create(mask, new Shape(1, channels, 1, 1)).toType(dataType, false));
                if (old != null) {
                    old.close();
                }
            }
        }
    }
}
