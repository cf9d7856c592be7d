package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Cosine annealing with warm restarts (Loshchilov &amp; Hutter, SGDR, ICLR 2017, arXiv 1608.03983)
 * instead of one cosine cycle: cycle i lasts t0·tmult^i epochs and restarts at the base rate. The
 * schedule itself is {@link Protocol#learningRateAt}; this trick only selects it.
 */
public final class Sgdr implements Trick {
    @Override
    public String id() {
        return "sgdr";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.TRAIN);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("t0", 0, 0, 100_000,
                        "epochs of the first cycle; 0 = round(epochs / 7), of the training's final epoch count").withUnit("epochs"),
                ParameterSpec.integer("tmult", 2, 1, 100, "each cycle is tmult times longer than the last"));
    }

    @Override
    public String reference() {
        return "Loshchilov & Hutter, SGDR: Stochastic Gradient Descent with Warm Restarts, ICLR 2017"
                + " (arXiv 1608.03983)";
    }

    @Override
    public String description() {
        return "cosine learning-rate cycles restarting at the base rate, each tmult times longer";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        Parameters p = resolve(params);
        int t0 = p.integer("t0");
        int tmult = p.integer("tmult");
        String schedule = Protocol.sgdrSchedule(t0, tmult);
        return new WeightTrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol protocol) {
                return protocol.withSchedule(schedule);
            }
        };
    }
}
