package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.analysis.Runs.baseline;
import static org.trickbench.harness.analysis.Runs.run;
import static org.trickbench.harness.analysis.Runs.tricks;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedStatisticsTest {
    private static final double EPS = 1e-12;

    @Test
    void meanAndSampleStandardDeviationPerConfiguration() {
        List<Observation> runs = List.of(
                run("darts", 1, 91, tricks("cutout+")), run("darts", 2, 92, tricks("cutout+")),
                run("darts", 3, 93, tricks("cutout+")), run("darts", 4, 94, tricks("cutout+")),
                run("darts", 1, 88, tricks("cutout-")),
                baseline("cifar10", 1, 80, tricks("cutout-")), baseline("cifar10", 1, 84, tricks("cutout-")),
                baseline("cifar10", 2, 82, tricks("cutout-")));
        List<SeedStatistics.Result> stats = SeedStatistics.compute(runs);
        assertEquals(3, stats.size());

        SeedStatistics.Result cutout = stats.get(0);
        assertEquals("darts", cutout.configuration().algorithm());
        assertEquals("cutout", cutout.configuration().trickLabel());
        assertEquals(4, cutout.n());
        assertEquals(92.5, cutout.mean(), EPS);
        // Deviations ±0.5, ±1.5: Σ = 5, over n − 1 = 3 -> variance 5/3.
        assertEquals(Math.sqrt(5.0 / 3), cutout.standardDeviation(), EPS);

        SeedStatistics.Result single = stats.get(1);
        assertEquals(1, single.n());
        assertTrue(Double.isNaN(single.standardDeviation()), "one run has no spread");

        SeedStatistics.Result random = stats.get(2);
        assertEquals("random", random.configuration().algorithm());
        assertEquals(3, random.n());
        assertEquals(2, random.seeds(), "two baseline genotypes share seed 1");
        assertEquals(82, random.mean(), EPS);
        assertEquals(2, random.standardDeviation(), EPS);
    }

    @Test
    void fiveNumberSummaryInterpolatesBetweenOrderStatistics() {
        List<Observation> runs = List.of(run("darts", 4, 94, tricks("cutout+")), run("darts", 1, 91, tricks("cutout+")),
                run("darts", 3, 93, tricks("cutout+")), run("darts", 2, 92, tricks("cutout+")),
                run("darts", 1, 88, tricks("cutout-")));
        List<SeedStatistics.Result> stats = SeedStatistics.compute(runs);

        SeedStatistics.Result four = stats.get(0);
        // R's and NumPy's default: position (n − 1)·p between sorted values, so 0.75 past 91 for p = 1/4.
        assertEquals(List.of(91.0, 91.75, 92.5, 93.25, 94.0),
                List.of(four.min(), four.lowerQuartile(), four.median(), four.upperQuartile(), four.max()));
        SeedStatistics.Result one = stats.get(1);
        assertEquals(List.of(88.0, 88.0, 88.0, 88.0, 88.0),
                List.of(one.min(), one.lowerQuartile(), one.median(), one.upperQuartile(), one.max()));
    }
}
