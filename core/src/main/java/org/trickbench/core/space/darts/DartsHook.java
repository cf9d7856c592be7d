package org.trickbench.core.space.darts;

import org.trickbench.core.train.TrainingHook;

/**
 * The points where a trick acts on the DARTS space's own networks: the evaluation network's size and how
 * it is trained beyond the protocol (its auxiliary head with the head's loss weight, drop-path). A trick
 * that also acts on training or search implements those hooks too
 * ({@link org.trickbench.core.train.WeightTrainingHook}, {@link org.trickbench.core.train.SupernetSearchHook}).
 * Every method has a neutral default; {@link DartsHooks} folds each point over a run's hooks, left to right.
 */
public interface DartsHook extends TrainingHook {

    /** The network's shape (e.g. wider: more channels); the run's fidelity and data give the starting config. */
    default DartsConfig configureNetworkConfig(DartsConfig config) {
        return config;
    }

    /** How the network is trained (e.g. the auxiliary head and its weight, drop-path's probability). */
    default DartsTraining configureTraining(DartsTraining training) {
        return training;
    }
}
