package org.trickbench.core.space.nb201;

import ai.djl.nn.Block;
import java.util.Objects;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.GroupedStandalone;
import org.trickbench.core.train.TrainingHooks;

/**
 * A NAS-Bench-201 network for {@link org.trickbench.core.train.TrainingLoop}: a genotype at {@code channels}
 * initial channels and {@code cellsPerStage} cells per stage, built with the standard ops as the hooks
 * configure them ({@link Nb201Hooks#configureStandalone}).
 */
public record Nb201Standalone(Genotype genotype, int channels, int cellsPerStage) implements GroupedStandalone {
    public Nb201Standalone {
        Objects.requireNonNull(genotype, "genotype");
    }

    /** The network's size before the hooks resize it: the data's images and classes at this width and depth. */
    private NetworkConfig config(PreparedData data) {
        return new NetworkConfig(data.channels(), data.side(), data.side(), data.classes(), channels, cellsPerStage);
    }

    @Override
    public Built build(Protocol protocol, PreparedData data, TrainingHooks hooks) {
        Nb201Hooks.StandaloneSetup setup = setup(protocol, data, hooks);
        NetworkConfig config = setup.config();
        return new Built(setup.protocol(), Nb201Network.build(genotype, config, setup.ops()),
                Nb201Network.inputShape(config, 2), Nb201Cost.flops(genotype, config));
    }

    /**
     * The benchmark's ops grouped {@code runs}-fold ({@link Nb201GroupedNetwork}). The hooks configure the
     * protocol and size as for {@link #build}; their ops are not used, so a caller groups only runs whose
     * hooks leave the network's ops alone ({@link org.trickbench.core.train.GroupedTrainingLoop#batchable}).
     */
    @Override
    public Built buildGrouped(Protocol protocol, PreparedData data, TrainingHooks hooks, int runs) {
        Nb201Hooks.StandaloneSetup setup = setup(protocol, data, hooks);
        NetworkConfig config = setup.config();
        return new Built(setup.protocol(), Nb201GroupedNetwork.build(genotype, config, runs),
                Nb201Network.inputShape(Nb201GroupedNetwork.grouped(config, runs), 2),
                Nb201Cost.flops(genotype, config));
    }

    private Nb201Hooks.StandaloneSetup setup(Protocol protocol, PreparedData data, TrainingHooks hooks) {
        return new Nb201Hooks(hooks).configureStandalone(
                new Nb201Hooks.StandaloneSetup(protocol, Nb201Ops.standard(), config(data)));
    }

    @Override
    public long countParameters(Block network) {
        return Nb201Network.countParameters(network);
    }
}
