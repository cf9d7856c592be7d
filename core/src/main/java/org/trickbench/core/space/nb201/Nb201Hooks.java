package org.trickbench.core.space.nb201;

import java.util.List;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingHooks;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * A run's hooks at NAS-Bench-201's own points ({@link Nb201Hook}), each a fold of {@link TrainingHooks}:
 * a value passes through the hooks in list order, each seeing the one before's result. Setups that also
 * configure the protocol ask each hook for all of its points before the next hook is asked.
 */
public final class Nb201Hooks {
    private final TrainingHooks hooks;

    public Nb201Hooks(TrainingHooks hooks) {
        this.hooks = hooks;
    }

    public Nb201Hooks(List<? extends TrainingHook> hooks) {
        this(new TrainingHooks(hooks));
    }

    /** Fold: each hook swaps op factories in the ops the one before it returned (e.g. Swish, then GroupNorm). */
    public Nb201Ops configureNetwork(Nb201Ops ops) {
        return hooks.fold(Nb201Hook.class, ops, Nb201Hook::configureNetwork);
    }

    /** Fold: each hook resizes the config the one before it returned, so that sizes compose. */
    public NetworkConfig configureNetworkConfig(NetworkConfig config) {
        return hooks.fold(Nb201Hook.class, config, Nb201Hook::configureNetworkConfig);
    }

    /** Fold: each hook changes the op factories of a supernet's search cells as the one before left them. */
    public Nb201Ops configureSupernetCells(Nb201Ops cellOps) {
        return hooks.fold(Nb201Hook.class, cellOps, Nb201Hook::configureSupernetCells);
    }

    /** Fold: each hook restricts the space the one before it returned, so that restrictions add up. */
    public Nb201Space configureSpace(Nb201Space space) {
        return hooks.fold(Nb201Hook.class, space, Nb201Hook::configureSpace);
    }

    /** What a standalone training is built with: its protocol, the network's ops and its size. */
    public record StandaloneSetup(Protocol protocol, Nb201Ops ops, NetworkConfig config) {}

    /**
     * Fold of {@link WeightTrainingHook#configureProtocol}, {@link Nb201Hook#configureNetwork} and
     * {@link Nb201Hook#configureNetworkConfig} hook by hook: each hook configures the protocol, the ops and
     * the size before the next hook is asked.
     */
    public StandaloneSetup configureStandalone(StandaloneSetup setup) {
        return hooks.fold(setup, (hook, s) -> new StandaloneSetup(protocol(hook, s.protocol()),
                TrainingHooks.apply(hook, Nb201Hook.class, s.ops(), Nb201Hook::configureNetwork),
                TrainingHooks.apply(hook, Nb201Hook.class, s.config(), Nb201Hook::configureNetworkConfig)));
    }

    /**
     * What a supernet is built with: the search protocol, the ops of its skeleton (stem, reductions, head)
     * and the ops of its search cells' candidate operations.
     */
    public record SupernetSetup(Protocol protocol, Nb201Ops skeletonOps, Nb201Ops cellOps) {}

    /**
     * Fold of {@link WeightTrainingHook#configureProtocol} and of {@link Nb201Hook#configureNetwork} on the
     * skeleton's and the cells' ops, hook by hook: each hook configures the protocol, then the skeleton's
     * ops, then the cells' ops, before the next hook is asked. {@link #configureSupernetCells} comes after,
     * on the cells' ops alone.
     */
    public SupernetSetup configureSupernet(SupernetSetup setup) {
        return hooks.fold(setup, (hook, s) -> new SupernetSetup(protocol(hook, s.protocol()),
                TrainingHooks.apply(hook, Nb201Hook.class, s.skeletonOps(), Nb201Hook::configureNetwork),
                TrainingHooks.apply(hook, Nb201Hook.class, s.cellOps(), Nb201Hook::configureNetwork)));
    }

    private static Protocol protocol(TrainingHook hook, Protocol protocol) {
        return TrainingHooks.apply(hook, WeightTrainingHook.class, protocol, WeightTrainingHook::configureProtocol);
    }
}
