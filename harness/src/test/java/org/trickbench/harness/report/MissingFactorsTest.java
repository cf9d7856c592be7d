package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.analysis.PlantedEffectsTest;

/** Data that lack a factor say what cannot be estimated instead of reporting a made-up 0% or a bare "–". */
class MissingFactorsTest {
    private static final Set<String> TRAIN_PHASE = Set.of("cutout", "drop-path", "label-smoothing", "mixup");

    private static String page(AnalysisSummary a) {
        return HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", List.of(a)));
    }

    @Test
    void oneAlgorithmLeavesItsShareUnestimatedInsteadOfZero() {
        // The planted darts runs alone: the tricks explain what the design explains, but not "100% against 0%".
        List<Observation> darts = PlantedEffectsTest.plantedRuns(new SplittableRandom(2)).stream()
                .filter(o -> o.algorithm().equals("darts")).toList();
        AnalysisSummary a = AnalysisSummary.of(darts, TRAIN_PHASE).get(0);

        assertNotNull(a.variance(), a.varianceNote());
        assertEquals(0, a.variance().component("algorithm").degreesOfFreedom());
        String headline = a.varianceHeadline();
        assertTrue(headline.contains("the algorithm's share of the accuracy variance cannot be estimated"), headline);
        assertFalse(headline.contains("accounts for 0%") || headline.contains("100%"), headline);
        // The planted tricks (cutout 2, mixup −1, drop-path 0.5, cutout:mixup −0.6 points; noise sd 0.5) explain
        // most of the variance: 80·(1 + 0.25 + 0.0625 + 0.09) = 112 of about 112 + 80·0.25 = 132, about 85%.
        double tricks = a.variance().components().stream()
                .filter(c -> c.source() != org.trickbench.harness.analysis.VarianceDecomposition.Source.SEED
                        && c.source() != org.trickbench.harness.analysis.VarianceDecomposition.Source.RESIDUAL)
                .mapToDouble(c -> c.share()).sum();
        assertTrue(tricks > 0.7 && tricks < 0.97, "tricks' share " + tricks);
        assertTrue(headline.contains(String.format(java.util.Locale.ROOT, "the tricks account for %.0f%%", 100 * tricks)),
                headline);
        assertTrue(a.varianceNote().contains("Every run on cifar10 uses darts"), a.varianceNote());
        assertTrue(page(a).contains(HtmlReport.esc(a.varianceNote())), "the variance section says it");
    }

    @Test
    void twoAlgorithmsStillSplitTheExplainedVariance() {
        AnalysisSummary a = AnalysisSummary.of(PlantedEffectsTest.plantedRuns(new SplittableRandom(2)), TRAIN_PHASE).get(0);
        assertNull(a.varianceNote());
        assertTrue(a.varianceHeadline().contains("the algorithm (the architecture it finds) accounts for"), a.varianceHeadline());
    }

    @Test
    void noRandomBaselineExplainsWhyRelativeImprovementIsADash() {
        AnalysisSummary a = AnalysisSummary.of(PlantedEffectsTest.plantedRuns(new SplittableRandom(2)), TRAIN_PHASE).get(0);
        assertTrue(a.relativeImprovement().stream().allMatch(r -> Double.isNaN(r.relativeImprovement())));
        assertEquals("There are no random-baseline runs on cifar10 (the matrix's baseline-size is 0, or no imported row"
                + " has algorithm random), so there is no Acc_random to compare with and RI is –.", a.relativeImprovementNote());
        assertTrue(page(a).contains(HtmlReport.esc(a.relativeImprovementNote())));
    }

    @Test
    void configurationsWithoutAMatchingBaselineAreCounted() {
        List<Observation> runs = new ArrayList<>(PlantedEffectsTest.plantedRuns(new SplittableRandom(2)));
        // One baseline run, with every trick off: only the configurations with every trick off match it.
        Map<String, Boolean> off = Map.of("cutout", false, "drop-path", false, "label-smoothing", false, "mixup", false);
        runs.add(new Observation("random", "cifar10", 1, off, 65, null, null, null, true));
        AnalysisSummary a = AnalysisSummary.of(runs, TRAIN_PHASE).get(0);
        assertEquals(2, a.relativeImprovement().stream().filter(r -> r.baselineN() == 1).count());
        assertEquals("RI is – for 30 configuration(s) with no random-baseline runs trained with the same final-training"
                + " tricks.", a.relativeImprovementNote());
    }
}
