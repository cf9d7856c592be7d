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
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.trickbench.core.space.GumbelSample;

/**
 * One supernet edge: all five NAS-Bench-201 operations side by side (NASLib's {@code MixedOp}). How
 * the edge combines them is chosen per forward pass by a {@link Selection}, computed once per pass
 * from the architecture weights and shared by every cell:
 *
 * <ul>
 *   <li>{@link Mode#WEIGHTED}: Σ_k w_k · op_k(x) with w = softmax(α) (DARTS; Liu, Simonyan & Yang,
 *       ICLR 2019, arXiv 1806.09055).
 *   <li>{@link Mode#ONE_HOT}: only the chosen op k runs; the output is h_k · op_k(x) + Σ_{j≠k} h_j with
 *       h = one_hot − stop_gradient(p) + p the straight-through Gumbel weights (GDAS; Dong & Yang,
 *       CVPR 2019, arXiv 1910.04465). The h_j for j ≠ k are exactly 0 in value but pass a gradient to
 *       their α, as the benchmark's own {@code NAS201SearchCell.forward_gdas} does.
 *   <li>{@link Mode#SINGLE_PATH}: only the sampled op runs and nothing is weighted (SPOS, Guo et al.,
 *       ECCV 2020, arXiv 1904.00420; random search with weight sharing, Li & Talwalkar 2019, arXiv
 *       1902.07638).
 * </ul>
 *
 * <p>{@code none} outputs exactly zero, so it is never run: in WEIGHTED mode its term is 0 · w_none,
 * which is zero in value and in gradient alike.
 */
public final class MixedOp extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final int OPS = Nb201Op.values().length;

    /** How an edge combines its candidate operations. */
    public enum Mode { WEIGHTED, ONE_HOT, SINGLE_PATH }

    /**
     * What one edge does in one forward pass.
     *
     * @param choice the op that runs (ONE_HOT, SINGLE_PATH); −1 in WEIGHTED mode
     * @param weights one scalar array per op (WEIGHTED, ONE_HOT), null for an op a restricted edge does not
     *     run; null in SINGLE_PATH mode
     * @param others Σ_{j≠choice} h_j (ONE_HOT only): zero in value, a gradient path to the other α
     */
    public record Selection(Mode mode, int choice, NDArray[] weights, NDArray others) {
        public Selection {
            Objects.requireNonNull(mode, "mode");
            if (mode != Mode.WEIGHTED && (choice < 0 || choice >= OPS)) {
                throw new IllegalArgumentException("op choice must be in [0, " + OPS + "), got " + choice);
            }
        }

        /** DARTS: {@code probabilities} is this edge's row of softmax(α), five values. */
        public static Selection weighted(NDArray probabilities) {
            return new Selection(Mode.WEIGHTED, -1, split(probabilities), null);
        }

        /**
         * DARTS over a restricted edge: ops outside {@code allowed} get no weight and are not run (their
         * probability is zero in the caller's masked softmax).
         */
        public static Selection weighted(NDArray probabilities, Set<Nb201Op> allowed) {
            NDArray[] w = split(probabilities);
            for (Nb201Op op : Nb201Op.values()) {
                if (!allowed.contains(op)) {
                    w[op.ordinal()] = null;
                }
            }
            return new Selection(Mode.WEIGHTED, -1, w, null);
        }

        /** GDAS: {@code hard} is this edge's row of straight-through weights, {@code choice} its hot index. */
        public static Selection oneHot(NDArray hard, int choice) {
            NDArray[] h = split(hard);
            return new Selection(Mode.ONE_HOT, choice, h, GumbelSample.others(h, choice));
        }

        /** SPOS and random search with weight sharing: run this op alone. */
        public static Selection single(Nb201Op op) {
            return new Selection(Mode.SINGLE_PATH, op.ordinal(), null, null);
        }

        private static NDArray[] split(NDArray row) {
            if (row.getShape().size() != OPS) {
                throw new IllegalArgumentException("an edge has " + OPS + " weights, got shape " + row.getShape());
            }
            NDArray flat = row.reshape(OPS);
            NDArray[] parts = new NDArray[OPS];
            for (int k = 0; k < OPS; k++) {
                parts[k] = flat.get(k);
            }
            return parts;
        }
    }

    private final Block[] candidates = new Block[OPS];
    private final Nb201Ops.MixedEdgeOutput output;

    /** The five candidates, in {@link Nb201Op} order. */
    public MixedOp(List<Block> candidates) {
        this(candidates, Nb201Ops.MixedEdgeOutput.IDENTITY);
    }

    /** The five candidates, and what the edge makes of their combination (e.g. an auxiliary skip). */
    public MixedOp(List<Block> candidates, Nb201Ops.MixedEdgeOutput output) {
        super(VERSION);
        this.output = Objects.requireNonNull(output, "output");
        if (candidates.size() != OPS) {
            throw new IllegalArgumentException("a mixed op holds one block per NAS-Bench-201 op (" + OPS
                    + "), got " + candidates.size());
        }
        for (Nb201Op op : Nb201Op.values()) {
            this.candidates[op.ordinal()] = addChildBlock(op.id(), candidates.get(op.ordinal()));
        }
    }

    /** The benchmark's five operations at {@code channels}, built with {@code ops}' factories. */
    public static MixedOp of(int channels, Nb201Ops ops) {
        List<Block> blocks = new ArrayList<>(OPS);
        for (Nb201Op op : Nb201Op.values()) {
            blocks.add(ops.create(op, channels));
        }
        return new MixedOp(blocks, ops.mixedEdgeOutput());
    }

    public Block candidate(Nb201Op op) {
        return candidates[op.ordinal()];
    }

    /** This edge's output for one forward pass. */
    public NDArray forward(ParameterStore ps, NDArray x, Selection selection, boolean training,
            PairList<String, Object> params) {
        return output.apply(x, combine(ps, x, selection, training, params), training);
    }

    private NDArray combine(ParameterStore ps, NDArray x, Selection selection, boolean training,
            PairList<String, Object> params) {
        return switch (selection.mode()) {
            case WEIGHTED -> {
                NDArray sum = null;
                for (Nb201Op op : Nb201Op.values()) {
                    if (op == Nb201Op.NONE || selection.weights()[op.ordinal()] == null) {
                        continue;
                    }
                    NDArray term = run(ps, op, x, training, params).mul(selection.weights()[op.ordinal()]);
                    sum = sum == null ? term : sum.add(term);
                }
                yield sum == null ? x.zerosLike() : sum;
            }
            case ONE_HOT -> {
                int k = selection.choice();
                NDArray chosen = k == Nb201Op.NONE.ordinal() ? x.zerosLike()
                        : run(ps, Nb201Op.values()[k], x, training, params).mul(selection.weights()[k]);
                yield chosen.add(selection.others());
            }
            case SINGLE_PATH -> {
                int k = selection.choice();
                yield k == Nb201Op.NONE.ordinal() ? x.zerosLike() : run(ps, Nb201Op.values()[k], x, training, params);
            }
        };
    }

    private NDArray run(ParameterStore ps, Nb201Op op, NDArray x, boolean training, PairList<String, Object> params) {
        return candidates[op.ordinal()].forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    /** The block interface: inputs are the feature map and the edge's five weights; runs WEIGHTED. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), Selection.weighted(inputs.get(1)), training, params));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block candidate : candidates) {
            candidate.initialize(manager, dataType, inputShapes[0]);
        }
    }
}
