package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.darts.DartsConfig;
import org.trickbench.core.space.darts.DartsHook;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * A wider final network: initial channels C times a factor, so every stage widens with it (Yang,
 * Esperança &amp; Carlucci, ICLR 2020, arXiv 1912.12522, §4.2: more channels at evaluation time).
 */
public final class Wider implements Trick {
    @Override
    public String id() {
        return "wider";
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
        return List.of(ParameterSpec.number("factor", 2, 1, true, 64, true,
                "initial channels are multiplied by this and rounded"));
    }

    @Override
    public String reference() {
        return "Yang, Esperança & Carlucci, NAS evaluation is frustratingly hard, ICLR 2020 (arXiv 1912.12522)";
    }

    @Override
    public String description() {
        return "multiplies the final training's channels";
    }

    /** The catalogue restricts it to the final training; proxy trainings keep the search fidelity. */
    @Override
    public boolean inProxyTraining() {
        return false;
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double factor = resolve(params).number("factor");
        return new Hook(factor);
    }

    /** The initial channels of either space's network, multiplied. */
    private record Hook(double factor) implements Nb201Hook, DartsHook {
        @Override
        public NetworkConfig configureNetworkConfig(NetworkConfig config) {
            return config.withChannels(wider(config.channels()));
        }

        @Override
        public DartsConfig configureNetworkConfig(DartsConfig config) {
            return config.withChannels(wider(config.channels()));
        }

        private int wider(int channels) {
            return (int) Math.round(channels * factor);
        }
    }
}
