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
 * GroupNorm in place of every BatchNorm of the network, as NAS-FCOS does in its searched heads
 * (Wang et al., CVPR 2020, arXiv 1906.04423; GroupNorm: Wu &amp; He, ECCV 2018, arXiv 1803.08494).
 */
public final class GroupNorm implements Trick {
    @Override
    public java.util.Set<String> replaces() {
        return java.util.Set.of("normalization");
    }

    @Override
    public String id() {
        return "group-norm";
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
        return List.of(ParameterSpec.integer("groups", 8, 1, 1 << 16,
                "groups per layer (Wu & He's default 32 needs wider layers); fewer where the channels do not"
                        + " allow as many"));
    }

    @Override
    public String reference() {
        return "Wu & He, Group Normalization, ECCV 2018 (arXiv 1803.08494); used in NAS-FCOS, Wang et al.,"
                + " CVPR 2020 (arXiv 1906.04423)";
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
        return "GroupNorm replaces every BatchNorm";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        int groups = resolve(params).integer("groups");
        return new Nb201Hook() {
            @Override
            public Nb201Ops configureNetwork(Nb201Ops ops) {
                return ops.withNormalization(() -> new GroupNormBlock(groups));
            }
        };
    }
}
