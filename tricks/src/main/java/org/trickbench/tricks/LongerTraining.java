package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Longer final training: the epoch count times a factor (Yang, Esperança &amp; Carlucci, ICLR 2020,
 * arXiv 1912.12522, §4.2: training-protocol tricks such as longer training lift every architecture).
 * The schedule stretches with it, as it is defined over the whole training.
 */
public final class LongerTraining implements Trick {
    @Override
    public String id() {
        return "longer-training";
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
        return List.of(ParameterSpec.number("factor", 2, 1, true, 1000, true,
                "final-training epochs are multiplied by this and rounded"));
    }

    @Override
    public String reference() {
        return "Yang, Esperança & Carlucci, NAS evaluation is frustratingly hard, ICLR 2020 (arXiv 1912.12522)";
    }

    @Override
    public String description() {
        return "multiplies the final training's epochs";
    }

    /** The catalogue restricts it to the final training; proxy trainings keep the search fidelity. */
    @Override
    public boolean inProxyTraining() {
        return false;
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double factor = resolve(params).number("factor");
        return new WeightTrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol protocol) {
                return protocol.withEpochs((int) Math.round(protocol.epochs() * factor));
            }
        };
    }
}
