package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.analysis.Runs.baseline;
import static org.trickbench.harness.analysis.Runs.tricks;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelativeImprovementTest {
    private static final double EPS = 1e-9;

    private static Observation searched(String algorithm, String dataset, long seed, double accuracy,
            String... tricks) {
        return new Observation(algorithm, dataset, seed, tricks(tricks), accuracy, null, null, null, false);
    }

    /*
     * Hand-made table (accuracy in %):
     *   cifar10, cutout off: random 79, 81 (Acc_r = 80);  darts 83, 85 (Acc_m = 84)     RI = 100·4/80   = 5
     *   cifar10, cutout on : random 84, 86 (Acc_r = 85);  darts 86.2, 87.2 (Acc_m = 86.7) RI = 100·1.7/85 = 2
     *   cifar100, cutout off: random 50;                  gdas 54, 56 (Acc_m = 55)     RI = 100·5/50   = 10
     *   cifar100, cutout on : no baseline;                gdas 60                      RI = NaN
     * The cutout-on darts runs must not be compared with the cutout-off baseline (RI would be 8.375).
     */
    private static final List<Observation> TABLE = List.of(
            baseline("cifar10", 1, 79, tricks("cutout-")), baseline("cifar10", 2, 81, tricks("cutout-")),
            baseline("cifar10", 1, 84, tricks("cutout+")), baseline("cifar10", 2, 86, tricks("cutout+")),
            baseline("cifar100", 1, 50, tricks("cutout-")),
            searched("darts", "cifar10", 1, 83, "cutout-"), searched("darts", "cifar10", 2, 85, "cutout-"),
            searched("darts", "cifar10", 1, 86.2, "cutout+"), searched("darts", "cifar10", 2, 87.2, "cutout+"),
            searched("gdas", "cifar100", 1, 54, "cutout-"), searched("gdas", "cifar100", 2, 56, "cutout-"),
            searched("gdas", "cifar100", 1, 60, "cutout+"));

    @Test
    void eachRelativeImprovementHasAWelchIntervalOverSeeds() {
        List<RelativeImprovement.Result> ri = RelativeImprovement.compute(TABLE);
        // darts without cutout: 83, 85 against 79, 81. Each side has variance 2 over 2 runs, so Var(mean) = 1 each,
        // SE of the difference √2, Welch df = 2²/(1/1 + 1/1) = 2, t(0.975, 2) = 4.302653 (standard table):
        // 4 ± 4.302653·1.414214 = 4 ± 6.084870 points, over Acc_r = 80: RI 5 in [−2.606087, 12.606087].
        RelativeImprovement.Result darts = ri.get(1);
        assertEquals("no tricks", darts.configuration().trickLabel());
        assertEquals(5.0, darts.relativeImprovement(), EPS);
        assertEquals(-2.606087, darts.riLow(), 1e-5);
        assertEquals(12.606087, darts.riHigh(), 1e-5);
        // gdas on cifar100 without cutout: one baseline run, whose spread is unknown; with cutout: no baseline at all.
        assertTrue(Double.isNaN(ri.get(2).riLow()) && Double.isNaN(ri.get(2).riHigh()), ri.get(2).toString());
        assertTrue(Double.isNaN(ri.get(3).riLow()), ri.get(3).toString());
    }

    @Test
    void comparesEachConfigurationWithTheBaselineOfItsDataSetAndTrickSetting() {
        List<RelativeImprovement.Result> ri = RelativeImprovement.compute(TABLE);
        assertEquals(4, ri.size(), "one row per searched configuration, none for the baseline itself");

        RelativeImprovement.Result dartsCutout = ri.get(0);
        assertEquals("darts", dartsCutout.configuration().algorithm());
        assertEquals("cutout", dartsCutout.configuration().trickLabel());
        assertEquals(2, dartsCutout.n());
        assertEquals(86.7, dartsCutout.meanAccuracy(), EPS);
        assertEquals(2, dartsCutout.baselineN());
        assertEquals(85, dartsCutout.baselineMean(), EPS);
        assertEquals(2.0, dartsCutout.relativeImprovement(), EPS);

        RelativeImprovement.Result darts = ri.get(1);
        assertEquals("no tricks", darts.configuration().trickLabel());
        assertEquals(84, darts.meanAccuracy(), EPS);
        assertEquals(80, darts.baselineMean(), EPS);
        assertEquals(5.0, darts.relativeImprovement(), EPS);

        RelativeImprovement.Result gdasCutout = ri.get(2);
        assertEquals("cifar100", gdasCutout.configuration().dataset());
        assertEquals(0, gdasCutout.baselineN());
        assertTrue(Double.isNaN(gdasCutout.baselineMean()));
        assertTrue(Double.isNaN(gdasCutout.relativeImprovement()), "no baseline, no RI");

        RelativeImprovement.Result gdas = ri.get(3);
        assertEquals(55, gdas.meanAccuracy(), EPS);
        assertEquals(1, gdas.baselineN());
        assertEquals(10.0, gdas.relativeImprovement(), EPS);
    }

    @Test
    void searchOnlyTricksAreIgnoredWhenMatchedOnTheFinalProtocolTricks() {
        // The baseline has no search, so it is trained with cutout only; darts also searched with a
        // search-phase trick switched on. RI = 100·(88 − 80)/80 = 10.
        List<Observation> runs = List.of(
                baseline("cifar10", 1, 80, tricks("cutout+")),
                searched("darts", "cifar10", 1, 88, "cutout+", "early-stop+"));
        assertEquals(0, RelativeImprovement.compute(runs).get(0).baselineN(),
                "matched on every trick, the search-only trick finds no baseline");
        RelativeImprovement.Result ri = RelativeImprovement.compute(runs, Set.of("cutout")).get(0);
        assertEquals(1, ri.baselineN());
        assertEquals(10.0, ri.relativeImprovement(), EPS);
    }
}
