package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.trickbench.core.space.darts.DartsHook;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;

/** A trick's hook as one of the hook interfaces, for calling its points directly; fails if it is not one. */
final class Hooks {
    private Hooks() {}

    static WeightTrainingHook training(TrainingHook hook) {
        return assertInstanceOf(WeightTrainingHook.class, hook);
    }

    static SupernetSearchHook search(TrainingHook hook) {
        return assertInstanceOf(SupernetSearchHook.class, hook);
    }

    static Nb201Hook nb201(TrainingHook hook) {
        return assertInstanceOf(Nb201Hook.class, hook);
    }

    static DartsHook darts(TrainingHook hook) {
        return assertInstanceOf(DartsHook.class, hook);
    }
}
