package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu &amp; He, ECCV 2018, arXiv 1803.08494) of B×C×H×W maps: the channels are
 * split into G groups and each sample's group is normalised by its own mean and (biased) variance,
 * then scaled and shifted per channel by γ and β. No batch statistics, so training and evaluation
 * compute the same function. DJL has no GroupNorm block; this is PyTorch's {@code nn.GroupNorm} with
 * ε = 1e-5 and affine parameters initialised to γ = 1, β = 0.
 *
 * <p>G is the requested group count, or the largest divisor of C below it when it does not divide C
 * (so 8 groups on 4 channels become 4, and on 12 channels 6).
 */
public final class GroupNormBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float EPSILON = 1e-5f;

    private final int requestedGroups;
    private final Parameter gamma;
    private final Parameter beta;
    private int groups;

    public GroupNormBlock(int groups) {
        super(VERSION);
        this.requestedGroups = groups;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    /** The group count in use, known once the block has seen its input shape. */
    public int groups() {
        return groups;
    }

    static int groupsFor(int channels, int requested) {
        for (int g = Math.min(channels, requested); g > 1; g--) {
            if (channels % g == 0) {
                return g;
            }
        }
        return 1;
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        long channels = inputShapes[0].get(1);
        groups = groupsFor((int) channels, requestedGroups);
        gamma.setShape(new Shape(channels));
        beta.setShape(new Shape(channels));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long channels = s.get(1);
        NDArray grouped = x.reshape(s.get(0), groups, -1);
        NDArray centred = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        NDArray normalised = centred.div(variance.add(EPSILON).sqrt()).reshape(s);
        Shape perChannel = new Shape(1, channels, 1, 1);
        NDArray g = ps.getValue(gamma, x.getDevice(), training).reshape(perChannel);
        NDArray b = ps.getValue(beta, x.getDevice(), training).reshape(perChannel);
        return new NDList(normalised.mul(g).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
