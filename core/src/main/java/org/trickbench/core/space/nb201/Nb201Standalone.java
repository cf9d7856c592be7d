package org.trickbench.core.space.nb201;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.GroupedParameters;
import org.trickbench.core.train.GroupedStandalone;
import org.trickbench.core.train.StandaloneNetwork;
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

    /** Another NAS-Bench-201 network of this size, of any genotype. */
    @Override
    public boolean groupsWith(StandaloneNetwork other) {
        return other instanceof Nb201Standalone o && o.channels == channels && o.cellsPerStage == cellsPerStage;
    }

    /**
     * The runs' networks side by side: {@link #buildGrouped(Protocol, PreparedData, TrainingHooks, int)}'s
     * network when they share this genotype, else {@link Nb201GroupedNetwork#build(List, NetworkConfig)}'s,
     * whose cells run each op some run uses on an edge once, a convolution op over only its runs' channels.
     */
    @Override
    public Built buildGrouped(List<? extends StandaloneNetwork> runs, Protocol protocol, PreparedData data,
            TrainingHooks hooks) {
        List<Genotype> genotypes = new ArrayList<>();
        for (StandaloneNetwork run : runs) {
            if (!groupsWith(run)) {
                throw new IllegalArgumentException("the network " + run + " cannot be grouped with " + this);
            }
            genotypes.add(((Nb201Standalone) run).genotype());
        }
        if (genotypes.stream().allMatch(genotype::equals)) {
            return buildGrouped(protocol, data, hooks, runs.size());
        }
        Nb201Hooks.StandaloneSetup setup = setup(protocol, data, hooks);
        NetworkConfig config = setup.config();
        return new Built(setup.protocol(), Nb201GroupedNetwork.build(genotypes, config),
                Nb201Network.inputShape(Nb201GroupedNetwork.grouped(config, runs.size()), 2),
                Nb201Cost.flops(genotype, config));
    }

    @Override
    public List<GroupedParameters.Slab> slabs(Block single, Block grouped, int run, int runs) {
        return Nb201GroupedNetwork.slabs(single, grouped, run, runs);
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
