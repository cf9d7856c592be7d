package org.trickbench.tricks;

import ai.djl.nn.Activation;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;
import org.trickbench.core.trick.TrickParameters;

/**
 * Swish x·σ(x) (β = 1, i.e. SiLU) in place of every ReLU of the network (Ramachandran, Zoph &amp; Le
 * 2017, arXiv 1710.05941).
 */
public final class Swish implements Trick {
    @Override
    public String id() {
        return "swish";
    }

    @Override
    public Set<String> phases() {
        return Set.of(TRAIN);
    }

    @Override
    public Set<String> families() {
        return FAMILIES;
    }

    @Override
    public String reference() {
        return "Ramachandran, Zoph & Le, Searching for Activation Functions, 2017 (arXiv 1710.05941)";
    }

    @Override
    public String description() {
        return "Swish/SiLU activation x·sigmoid(x) instead of ReLU";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        TrickParameters.of(this, params);
        return new TrainingHook() {
            @Override
            public Nb201Ops configureNetwork(Nb201Ops ops) {
                return ops.withActivation(() -> Activation.swishBlock(1f));
            }
        };
    }
}
