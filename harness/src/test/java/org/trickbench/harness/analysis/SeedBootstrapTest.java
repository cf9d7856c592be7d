package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.analysis.Runs.run;
import static org.trickbench.harness.analysis.Runs.tricks;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeedBootstrapTest {
    @Test
    void percentileIntervalInterpolatesBetweenOrderStatistics() {
        // Values 1..101: type 7 puts the q-quantile at 1 + 100·q, so 2.5% -> 3.5 and 97.5% -> 98.5.
        double[] values = IntStream.rangeClosed(1, 101).mapToDouble(i -> 102 - i).toArray();
        assertArrayEquals(new double[] {3.5, 98.5}, SeedBootstrap.percentileInterval(values, 0.95), 1e-12);
        // Values 0, 10: h = (2 − 1)·0.025 = 0.025 -> 0.25; 0.975 -> 9.75.
        assertArrayEquals(new double[] {0.25, 9.75}, SeedBootstrap.percentileInterval(new double[] {10, 0}, 0.95),
                1e-12);
        assertTrue(Double.isNaN(SeedBootstrap.percentileInterval(new double[0], 0.95)[0]));
    }

    @Test
    void resampleDrawsWholeSeedsWithReplacement() {
        List<Observation> runs = List.of(
                run("darts", 1, 10, tricks("a-")), run("darts", 1, 11, tricks("a+")),
                run("darts", 2, 20, tricks("a-")), run("darts", 2, 21, tricks("a+")));
        Map<Long, List<Observation>> bySeed = SeedBootstrap.bySeed(runs);
        SplittableRandom random = new SplittableRandom(3);
        int mixed = 0;
        int draws = 4000;
        for (int i = 0; i < draws; i++) {
            List<Observation> resample = SeedBootstrap.resample(bySeed, random);
            assertEquals(4, resample.size(), "as many seeds as the data hold, each with all its runs");
            long seeds = resample.stream().mapToLong(Observation::seed).distinct().count();
            for (long s : resample.stream().mapToLong(Observation::seed).distinct().toArray()) {
                assertEquals(4 / seeds, resample.stream().filter(o -> o.seed() == s).count());
            }
            if (seeds == 2) {
                mixed++;
            }
        }
        // Two seeds drawn twice with replacement: {1,2} or {2,1} has chance 1/2; binomial sd is 0.008.
        assertEquals(0.5, mixed / (double) draws, 0.03);
    }
}
