package org.trickbench.core.space.darts;

import java.util.List;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingHooks;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * A run's hooks at the DARTS space's own points ({@link DartsHook}), each a fold of {@link TrainingHooks}: a
 * value passes through the hooks in list order, each seeing the one before's result. A standalone setup
 * asks each hook for all of its points before the next hook is asked.
 */
public final class DartsHooks {
    private final TrainingHooks hooks;

    public DartsHooks(TrainingHooks hooks) {
        this.hooks = hooks;
    }

    public DartsHooks(List<? extends TrainingHook> hooks) {
        this(new TrainingHooks(hooks));
    }

    /** Fold: each hook resizes the config the one before it returned, so that sizes compose. */
    public DartsConfig configureNetworkConfig(DartsConfig config) {
        return hooks.fold(DartsHook.class, config, DartsHook::configureNetworkConfig);
    }

    /** Fold: each hook changes the training the one before it returned (the head, then drop-path). */
    public DartsTraining configureTraining(DartsTraining training) {
        return hooks.fold(DartsHook.class, training, DartsHook::configureTraining);
    }

    /** What a standalone training is built with: its protocol, the network's shape and how it is trained. */
    public record StandaloneSetup(Protocol protocol, DartsConfig config, DartsTraining training) {}

    /**
     * Fold of {@link WeightTrainingHook#configureProtocol}, {@link DartsHook#configureNetworkConfig} and
     * {@link DartsHook#configureTraining} hook by hook: each hook configures the protocol, the shape and the
     * training before the next hook is asked.
     */
    public StandaloneSetup configureStandalone(StandaloneSetup setup) {
        return hooks.fold(setup, (hook, s) -> new StandaloneSetup(
                TrainingHooks.apply(hook, WeightTrainingHook.class, s.protocol(), WeightTrainingHook::configureProtocol),
                TrainingHooks.apply(hook, DartsHook.class, s.config(), DartsHook::configureNetworkConfig),
                TrainingHooks.apply(hook, DartsHook.class, s.training(), DartsHook::configureTraining)));
    }
}
