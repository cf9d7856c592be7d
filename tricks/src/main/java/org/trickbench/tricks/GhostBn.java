package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Ghost batch normalisation: every BatchNorm computes its statistics over virtual sub-batches
 * (Hoffer, Hubara &amp; Soudry, Train longer, generalize better, NeurIPS 2017, arXiv 1705.08741).
 */
public final class GhostBn implements Trick {
    @Override
    public java.util.Set<String> replaces() {
        return java.util.Set.of("normalization");
    }

    @Override
    public String id() {
        return "ghost-bn";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH, Phase.TRAIN);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("virtual-batch", 32, 2, 1 << 20,
                "samples per virtual batch whose statistics normalise it").withUnit("samples"));
    }

    @Override
    public String reference() {
        return "Hoffer, Hubara & Soudry, Train longer, generalize better: closing the generalization gap in"
                + " large batch training of neural networks, NeurIPS 2017 (arXiv 1705.08741)";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return Nb201Only.swaps("normalisation");
    }

    @Override
    public String description() {
        return "BatchNorm statistics over virtual sub-batches of the batch";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        int virtualBatch = resolve(params).integer("virtual-batch");
        return new Nb201Hook() {
            @Override
            public Nb201Ops configureNetwork(Nb201Ops ops) {
                return ops.withNormalization(() -> new GhostBnBlock(virtualBatch));
            }
        };
    }
}
