package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The cells of K NAS-Bench-201 networks of different genotypes side by side, for
 * {@link Nb201GroupedNetwork#build(List, NetworkConfig)}: network i owns channels [i·C, (i+1)·C). On every
 * edge each op that some network uses runs once: a ReLU-conv-BN op (1×1, 3×3) that a subset S of m of
 * the K networks uses runs over only S's channels, gathered in network order (a slice where they are
 * contiguous), as m·C channels in m convolution groups, so it does exactly S's work; one that all K use,
 * and the parameter-free ops (skip, average pooling), run over all K·C channels. The edge's output is
 * then, network by network, the C channels of its op's output that are its own, or exact zeros where its
 * edge is {@code none}, concatenated along the channels: on network i's channels the values of network
 * i's own cell ({@link Nb201Cell}), with the same sums in the same order. A ReLU-conv-BN op's parameters
 * hold the slabs of its m networks only, in network order ({@link #slabs}).
 */
final class Nb201MixedCell extends AbstractBlock {
    private static final byte VERSION = 1;

    private final List<Genotype> genotypes;
    private final int perRun;
    /** Per edge, the ops some network uses there (not {@code none}), in {@link Nb201Op} order. */
    private final List<List<EdgeOp>> edges = new ArrayList<>();
    /** Per edge, its output's channels network by network, consecutive networks of one source merged. */
    private final List<List<Piece>> outputs = new ArrayList<>();

    /**
     * An op of an edge, run over the channels of {@code networks} (in network order) and writing theirs:
     * all K networks, or only the op's users.
     */
    private static final class EdgeOp {
        private final Nb201Op op;
        private final Block block;
        private final int[] networks;
        /** The gathered input channels where {@code networks} are not contiguous; null otherwise. */
        private NDArray index;

        EdgeOp(Nb201Op op, Block block, int[] networks) {
            this.op = op;
            this.block = block;
            this.networks = networks;
        }

        /** Network {@code network}'s slab in this op's input and output, or −1 where it is not the op's. */
        int position(int network) {
            return IntStream.range(0, networks.length).filter(p -> networks[p] == network).findFirst().orElse(-1);
        }
    }

    /**
     * {@code count} consecutive networks' channels of an edge's output: slabs [position, position + count)
     * of op {@code op}'s output (its index in the edge's ops), or zeros where {@code op} is −1.
     */
    private record Piece(int op, int position, int count) {}

    /**
     * @param genotypes network i's genotype at index i
     * @param channels the channels of all networks together, K·C
     * @param ops the ops with convolutions in K groups
     */
    Nb201MixedCell(List<Genotype> genotypes, int channels, Nb201Ops ops) {
        super(VERSION);
        this.genotypes = List.copyOf(genotypes);
        int runs = genotypes.size();
        if (ops.convolutionGroups() != runs || channels % runs != 0) {
            throw new IllegalArgumentException("a mixed cell of " + runs + " networks needs as many"
                    + " convolution groups (got " + ops.convolutionGroups() + ") and channels a multiple of them (got "
                    + channels + ")");
        }
        this.perRun = channels / runs;
        for (int e = 0; e < Genotype.EDGES; e++) {
            List<EdgeOp> edge = new ArrayList<>();
            int[] opOf = new int[runs];
            int[] positionOf = new int[runs];
            for (Nb201Op op : Nb201Op.values()) {
                int edgeIndex = e;
                int[] users = IntStream.range(0, runs).filter(i -> genotypes.get(i).op(edgeIndex) == op).toArray();
                if (op == Nb201Op.NONE) {
                    for (int i : users) {
                        opOf[i] = -1;
                    }
                    continue;
                }
                if (users.length == 0) {
                    continue;
                }
                boolean compact = op.parametric() && users.length < runs;
                int[] networks = compact ? users : IntStream.range(0, runs).toArray();
                Block block = compact ? ops.withConvolutionGroups(users.length).create(op, users.length * perRun)
                        : ops.create(op, channels);
                EdgeOp edgeOp = new EdgeOp(op, addChildBlock("edge" + Genotype.edgeSource(e) + "to"
                        + Genotype.edgeTarget(e) + "_" + op.id(), block), networks);
                for (int i : users) {
                    opOf[i] = edge.size();
                    positionOf[i] = edgeOp.position(i);
                }
                edge.add(edgeOp);
            }
            edges.add(edge);
            outputs.add(pieces(opOf, positionOf));
        }
    }

    /** Network i's channels come from op {@code opOf[i]} (−1: zeros) at slab {@code positionOf[i]}. */
    private static List<Piece> pieces(int[] opOf, int[] positionOf) {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < opOf.length; i++) {
            Piece last = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
            int position = opOf[i] < 0 ? 0 : positionOf[i];
            if (last != null && last.op() == opOf[i] && (opOf[i] < 0 || last.position() + last.count() == position)) {
                pieces.set(pieces.size() - 1, new Piece(last.op(), last.position(), last.count() + 1));
            } else {
                pieces.add(new Piece(opOf[i], position, 1));
            }
        }
        return pieces;
    }

    /** Network {@code run}'s genotype. */
    Genotype genotype(int run) {
        return genotypes.get(run);
    }

    /**
     * Puts, for each parameter of this cell's ops, where it holds network {@code run}'s weights: {slab
     * position, slab count}, the position −1 where the op is not the network's.
     */
    void slabs(int run, Map<Parameter, int[]> into) {
        for (int e = 0; e < Genotype.EDGES; e++) {
            for (EdgeOp op : edges.get(e)) {
                int position = op.op == genotypes.get(run).op(e) ? op.position(run) : -1;
                for (Parameter parameter : op.block.getParameters().values()) {
                    into.put(parameter, new int[] {position, op.networks.length});
                }
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(Nb201Cell.output(inputs.singletonOrThrow(), (e, source) -> {
            List<EdgeOp> ops = edges.get(e);
            if (ops.isEmpty()) {
                return null;
            }
            NDArray[] results = new NDArray[ops.size()];
            for (int k = 0; k < results.length; k++) {
                results[k] = ops.get(k).block.forward(ps, new NDList(input(ops.get(k), source)), training, params)
                        .singletonOrThrow();
            }
            List<Piece> pieces = outputs.get(e);
            if (pieces.size() == 1 && pieces.get(0).op() >= 0) {
                return results[pieces.get(0).op()];
            }
            NDList parts = new NDList();
            Shape shape = source.getShape();
            for (Piece piece : pieces) {
                parts.add(piece.op() < 0
                        ? source.getManager().zeros(new Shape(shape.get(0), piece.count() * perRun, shape.get(2),
                                shape.get(3)), source.getDataType(), source.getDevice())
                        : results[piece.op()].get(NDIndex.sliceAxis(1, (long) piece.position() * perRun,
                                (long) (piece.position() + piece.count()) * perRun)));
            }
            return NDArrays.concat(parts, 1);
        }));
    }

    /** The channels of {@code source} that {@code op} runs over. */
    private NDArray input(EdgeOp op, NDArray source) {
        if (op.index != null) {
            return source.get(new NDIndex(":, {}", op.index));
        }
        if (op.networks.length == genotypes.size()) {
            return source;
        }
        return source.get(NDIndex.sliceAxis(1, (long) op.networks[0] * perRun,
                (long) (op.networks[0] + op.networks.length) * perRun));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        for (List<EdgeOp> edge : edges) {
            for (EdgeOp op : edge) {
                int[] networks = op.networks;
                op.block.initialize(manager, dataType, new Shape(input.get(0), (long) networks.length * perRun,
                        input.get(2), input.get(3)));
                if (networks[networks.length - 1] - networks[0] == networks.length - 1) {
                    continue;
                }
                long[] channels = new long[networks.length * perRun];
                for (int p = 0; p < networks.length; p++) {
                    for (int c = 0; c < perRun; c++) {
                        channels[p * perRun + c] = (long) networks[p] * perRun + c;
                    }
                }
                if (op.index != null) {
                    op.index.close();
                }
                op.index = manager.create(channels);
            }
        }
    }
}
