package org.trickbench.core.space.nb201;

import ai.djl.nn.Block;
import java.util.Objects;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StandaloneNetwork;
import org.trickbench.core.train.TrainingHooks;

/**
 * A NAS-Bench-201 network for {@link org.trickbench.core.train.TrainingLoop}: a genotype at {@code channels}
 * initial channels and {@code cellsPerStage} cells per stage, built with the standard ops as the hooks
 * configure them ({@link Nb201Hooks#configureStandalone}).
 */
public record Nb201Standalone(Genotype genotype, int channels, int cellsPerStage) implements StandaloneNetwork {
    public Nb201Standalone {
        Objects.requireNonNull(genotype, "genotype");
    }

    /** The network's size before the hooks resize it: the data's images and classes at this width and depth. */
    private NetworkConfig config(PreparedData data) {
        return new NetworkConfig(data.channels(), data.side(), data.side(), data.classes(), channels, cellsPerStage);
    }

    @Override
    public Built build(Protocol protocol, PreparedData data, TrainingHooks hooks) {
        Nb201Hooks.StandaloneSetup setup = new Nb201Hooks(hooks).configureStandalone(
                new Nb201Hooks.StandaloneSetup(protocol, Nb201Ops.standard(), config(data)));
        NetworkConfig config = setup.config();
        return new Built(setup.protocol(), Nb201Network.build(genotype, config, setup.ops()),
                Nb201Network.inputShape(config, 2), Nb201Cost.flops(genotype, config));
    }

    @Override
    public long countParameters(Block network) {
        return Nb201Network.countParameters(network);
    }
}
