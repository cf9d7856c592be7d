package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.darts.DartsConfig;
import org.trickbench.core.space.darts.DartsHooks;
import org.trickbench.core.space.darts.DartsTraining;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.TrainingHook;

/** The tricks of DARTS's evaluation act in the DARTS space with DARTS's values as their defaults. */
class DartsTricksTest {

    private static DartsTraining training(TrainingHook... hooks) {
        return new DartsHooks(List.of(hooks)).configureTraining(DartsTraining.none());
    }

    @Test
    void auxTowerSwitchesOnDartsHeadWithWeightPointFour() {
        assertEquals(new DartsTraining(0.4, 0), training(new AuxTower().hook(Map.of())));
        assertEquals(new DartsTraining(0.7, 0), training(new AuxTower().hook(Map.of("weight", 0.7))));
    }

    @Test
    void dropPathSetsDartsProbabilityPointTwoRampedOverTheEpochs() {
        DartsTraining t = training(new DropPath().hook(Map.of()));
        assertEquals(new DartsTraining(0, 0.2), t);
        assertEquals(0.0, t.dropPathAt(0, 600));
        assertEquals(0.1, t.dropPathAt(300, 600), 1e-15);
        assertEquals(0.2 * 599 / 600, t.dropPathAt(599, 600), 1e-15);
    }

    @Test
    void bothTogetherAreDartsEvaluationTraining() {
        assertEquals(new DartsTraining(0.4, 0.2), training(new AuxTower().hook(Map.of()), new DropPath().hook(Map.of())));
    }

    @Test
    void widerMultipliesTheDartsNetworksChannels() {
        DartsConfig config = new DartsConfig(3, 32, 32, 10, 16, 8, false);
        assertEquals(32, Hooks.darts(new Wider().hook(Map.of())).configureNetworkConfig(config).channels());
        assertEquals(24, Hooks.darts(new Wider().hook(Map.of("factor", 1.5))).configureNetworkConfig(config).channels());
    }

    /** DARTS's cutout is 16 px at 32 px: cutout's default, half the side, gives it there (and 8 at 16 px). */
    @Test
    void cutoutsDefaultIsDartsSixteenPixelsAtThirtyTwo() {
        assertEquals(16 * 16, largestSquare(32));
        assertEquals(8 * 8, largestSquare(16));
    }

    /** The most pixels the default cutout zeroes in one image of a batch of 64 at this side. */
    private static int largestSquare(int side) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(64, 1, side, side));
            NDArray labels = m.zeros(new Shape(64), DataType.INT32);
            float[] after = Hooks.training(new Cutout().hook(Map.of()))
                    .transformBatch(new Batch(x, labels.oneHot(2), labels), Steps.first()).images().toFloatArray();
            int most = 0;
            for (int b = 0; b < 64; b++) {
                int zeros = 0;
                for (int i = 0; i < side * side; i++) {
                    zeros += after[b * side * side + i] == 0 ? 1 : 0;
                }
                most = Math.max(most, zeros);
            }
            assertTrue(most > 0);
            return most;
        }
    }
}
