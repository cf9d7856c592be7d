package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.GhostBatchNorm;

/**
 * BatchNorm over virtual sub-batches (Hoffer, Hubara &amp; Soudry, NeurIPS 2017, arXiv 1705.08741): the
 * batch is cut into consecutive chunks of {@code virtualBatch} samples (the last may be smaller) and
 * each chunk is normalised with its own statistics; running statistics are updated once per chunk.
 *
 * <p>Built on DJL's {@link GhostBatchNorm}, which (as of 0.36) stacks the normalised chunks into a
 * new leading axis instead of joining them, and refuses batches that its chunk count does not divide.
 * This block splits at multiples of the virtual batch and concatenates along the batch axis.
 */
public final class GhostBnBlock extends GhostBatchNorm {
    private final int virtualBatch;

    public GhostBnBlock(int virtualBatch) {
        super(GhostBatchNorm.builder().optVirtualBatchSize(virtualBatch));
        this.virtualBatch = virtualBatch;
    }

    @Override
    protected NDList[] split(NDList list) {
        NDArray x = list.head();
        long n = x.getShape().get(0);
        int chunks = (int) ((n + virtualBatch - 1) / virtualBatch);
        if (chunks <= 1) {
            return new NDList[] {list};
        }
        long[] cuts = new long[chunks - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (long) (i + 1) * virtualBatch;
        }
        NDList parts = x.split(cuts, 0);
        NDList[] out = new NDList[chunks];
        for (int i = 0; i < chunks; i++) {
            out[i] = new NDList(parts.get(i));
        }
        return out;
    }

    @Override
    protected NDList batchify(NDList[] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        NDList heads = new NDList(parts.length);
        for (NDList p : parts) {
            heads.add(p.head());
        }
        return new NDList(NDArrays.concat(heads, 0));
    }
}
