package org.trickbench.core.space.darts;

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
 * One edge of the DARTS search network (the authors' {@code MixedOp} in {@code cnn/model_search.py}):
 * the eight candidate ops side by side, in {@link DartsOp} order, with BN that is not affine and a
 * plain BN after each pool ({@link DartsOps#searchCandidate}). Weighted, its output is Σ_k w_k ·
 * op_k(x) with w the edge's row of softmax(α); under a Gumbel sample one op runs, straight-through weighted
 * ({@link #oneHot}); along a single path it is one op's output.
 *
 * <p>{@code none} outputs exactly zero (DARTS's {@code Zero}: the strided input times 0), so it is never
 * run: its weighted term is 0 · w_none, zero in value and in gradient alike.
 */
final class DartsMixedOp extends AbstractBlock {
    private static final int OPS = DartsOp.values().length;

    private final Block[] candidates = new Block[OPS];
    private final int stride;

    DartsMixedOp(int channels, int stride) {
        super((byte) 1);
        this.stride = stride;
        for (DartsOp op : DartsOp.values()) {
            candidates[op.ordinal()] = addChildBlock(op.id(), DartsOps.searchCandidate(op, channels, stride));
        }
    }

    Block candidate(DartsOp op) {
        return candidates[op.ordinal()];
    }

    /** Σ_k w_k · op_k(x) over the ops but {@code none}; {@code weights} holds one scalar per op. */
    NDArray weighted(ParameterStore ps, NDArray x, NDArray[] weights, boolean training, PairList<String, Object> params) {
        NDArray sum = null;
        for (DartsOp op : DartsOp.values()) {
            if (op != DartsOp.NONE) {
                NDArray term = run(ps, op, x, training, params).mul(weights[op.ordinal()]);
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum;
    }

    /**
     * GDAS: op {@code choice} alone, h_k · op_k(x) + Σ_{j≠k} h_j with h the edge's straight-through
     * weights and {@code others} their sum over the other ops ({@link org.trickbench.core.space.GumbelSample}).
     * {@code none} adds nothing to {@code others}: its output is the zeros of the edge's output shape.
     */
    NDArray oneHot(ParameterStore ps, NDArray x, NDArray[] weights, int choice, NDArray others, boolean training,
            PairList<String, Object> params) {
        DartsOp op = DartsOp.values()[choice];
        NDArray out = run(ps, op, x, training, params);
        return (op == DartsOp.NONE ? out : out.mul(weights[choice])).add(others);
    }

    /** The output of {@code op} alone (single-path mode). */
    NDArray run(ParameterStore ps, DartsOp op, NDArray x, boolean training, PairList<String, Object> params) {
        return candidates[op.ordinal()].forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    /** The block interface: the feature map and the edge's eight weights; runs weighted. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray w = inputs.get(1).reshape(OPS);
        NDArray[] weights = new NDArray[OPS];
        for (int k = 0; k < OPS; k++) {
            weights[k] = w.get(k);
        }
        return new NDList(weighted(ps, inputs.get(0), weights, training, params));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        // Every candidate pads to keep the side at stride 1 and halves an even side at stride 2.
        return new Shape[] {new Shape(in.get(0), in.get(1), (in.get(2) + stride - 1) / stride,
                (in.get(3) + stride - 1) / stride)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block candidate : candidates) {
            candidate.initialize(manager, dataType, inputShapes[0]);
        }
    }
}
