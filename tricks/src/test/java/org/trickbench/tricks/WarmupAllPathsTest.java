package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;

class WarmupAllPathsTest {
    @Test
    void probabilityFallsLinearlyFromOneToZeroOverTheFraction() {
        assertEquals(1, WarmupAllPaths.probability(0.25, 0), 0);
        assertEquals(0.5, WarmupAllPaths.probability(0.25, 0.125), 1e-12);
        assertEquals(0, WarmupAllPaths.probability(0.25, 0.25), 0);
        assertEquals(0, WarmupAllPaths.probability(0.25, 0.9), 0);
        assertEquals(0, WarmupAllPaths.probability(0, 0), 0, "fraction 0: no warm-up");
    }

    /**
     * Over 20 epochs of 2,000 steps with fraction 0.5, the share of all-ops steps in each epoch is
     * the mean of p(t) over its steps within four binomial standard deviations.
     */
    @Test
    void allOpsFrequencyPerEpochMatchesTheScheduleWithinBinomialError() {
        int epochs = 20;
        int perEpoch = 2000;
        long total = (long) epochs * perEpoch;
        TrainingHook hook = new WarmupAllPaths().hook(Map.of("fraction", 0.5));
        Seeds seeds = new Seeds(7);
        for (int e = 0; e < epochs; e++) {
            int hits = 0;
            double expected = 0;
            double variance = 0;
            for (int s = 0; s < perEpoch; s++) {
                long step = (long) e * perEpoch + s;
                double p = WarmupAllPaths.probability(0.5, (double) step / total);
                expected += p;
                variance += p * (1 - p);
                if (Hooks.search(hook).trainAllOps(new StepContext(e, epochs, step, total, 0.1, null, seeds, List.of()))) {
                    hits++;
                }
            }
            assertTrue(Math.abs(hits - expected) <= 4 * Math.sqrt(variance) + 1e-9,
                    "epoch " + e + ": " + hits + " all-ops steps, expected " + expected);
            if (e >= epochs / 2) {
                assertEquals(0, hits, "no all-ops step after the warm-up");
            }
        }
    }

    @Test
    void theDrawDependsOnlyOnSeedAndStep() {
        TrainingHook a = new WarmupAllPaths().hook(Map.of("fraction", 1.0));
        TrainingHook b = new WarmupAllPaths().hook(Map.of("fraction", 1.0));
        for (long step = 0; step < 200; step++) {
            StepContext ctx = new StepContext(0, 1, step, 400, 0.1, null, new Seeds(3), List.of());
            boolean first = Hooks.search(a).trainAllOps(ctx);
            assertEquals(first, Hooks.search(b).trainAllOps(ctx), "step " + step);
            assertEquals(first, Hooks.search(a).trainAllOps(ctx), "asking again at step " + step);
        }
    }

    @Test
    void fractionOutsideZeroToOneIsRejected() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> new WarmupAllPaths().hook(Map.of("fraction", -0.1)));
        assertTrue(e.getMessage().startsWith("warmup-all-paths: fraction=-0.1 is out of range; allowed: 0 <= fraction"),
                e.getMessage());
    }
}
