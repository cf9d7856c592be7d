package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.search.AlgorithmParameter;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;
import org.trickbench.core.trick.TrickParameters;

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
    public Set<String> phases() {
        return Set.of(SEARCH, TRAIN);
    }

    @Override
    public Set<String> families() {
        return FAMILIES;
    }

    @Override
    public List<AlgorithmParameter> parameters() {
        return List.of(new AlgorithmParameter("virtual-batch", "int", 32,
                "samples per virtual batch whose statistics normalise it; >= 2"));
    }

    @Override
    public String reference() {
        return "Hoffer, Hubara & Soudry, Train longer, generalize better: closing the generalization gap in"
                + " large batch training of neural networks, NeurIPS 2017 (arXiv 1705.08741)";
    }

    @Override
    public String description() {
        return "BatchNorm statistics over virtual sub-batches of the batch";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        int virtualBatch = TrickParameters.of(this, params).integer("virtual-batch", 2, 1 << 20);
        return new TrainingHook() {
            @Override
            public Nb201Ops configureNetwork(Nb201Ops ops) {
                return ops.withNormalization(() -> new GhostBnBlock(virtualBatch));
            }
        };
    }
}
