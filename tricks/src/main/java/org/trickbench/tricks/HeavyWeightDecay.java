package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * A heavier L2 weight decay on the supernet weights during search (Zela et al. 2020, RobustDARTS: a
 * several times stronger weight decay regularises the inner problem and keeps DARTS out of
 * parameter-free cells). Only the weights' optimiser changes: α keeps the algorithm's own weight decay
 * ({@code arch-weight-decay}), which the protocol does not carry.
 */
public final class HeavyWeightDecay extends SearchPhaseTrick {
    public HeavyWeightDecay() {
        super("heavy-weight-decay", Family.GRADIENT, Family.ONE_SHOT);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("value", 3e-3, 0, true, 1, true,
                "L2 weight decay of the supernet weights, in place of the search's own"));
    }

    @Override
    public String reference() {
        return "Zela, Elsken, Saikia, Marrakchi, Brox & Hutter, Understanding and Robustifying Differentiable"
                + " Architecture Search, ICLR 2020 (arXiv 1909.09656)";
    }

    @Override
    public String description() {
        return "the supernet weights' optimiser uses this weight decay; α's optimiser is unchanged";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double value = resolve(params).number("value");
        return new WeightTrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol protocol) {
                return protocol.withWeightDecay(value);
            }
        };
    }
}
