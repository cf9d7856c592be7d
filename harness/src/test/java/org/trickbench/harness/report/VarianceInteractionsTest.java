package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.analysis.PlantedEffectsTest;
import org.trickbench.harness.analysis.VarianceDecomposition;
import org.trickbench.harness.analysis.VarianceDecomposition.Component;
import org.trickbench.harness.analysis.VarianceDecomposition.Source;
import org.trickbench.harness.store.Store;

/** The report's variance decomposition has a row for every interaction the effects table estimates. */
class VarianceInteractionsTest {
    private static final Set<String> TRAIN_PHASE = Set.of("cutout", "drop-path", "label-smoothing", "mixup");

    @Test
    void plantedInteractionIsItsOwnRowNotResidual() {
        List<Observation> runs = PlantedEffectsTest.plantedRuns(new SplittableRandom(4));
        AnalysisSummary a = AnalysisSummary.of(runs, TRAIN_PHASE).get(0);

        assertEquals(6, a.effects().interactions().size(), "the effects table estimates the interactions");
        VarianceDecomposition.Result v = a.variance();
        assertEquals(6, v.components().stream().filter(c -> c.source() == Source.INTERACTION).count());
        assertNull(a.varianceNote());
        // Planted cutout:mixup = −0.6 points: sum of squares 160·0.3² = 14.4 of a total near 350, about 4% (this noise
        // draw estimates −0.42 points, 2%); the five null interactions hold noise only, about 160·0.04² = 0.25 each.
        Component cutoutMixup = v.component("cutout:mixup");
        assertEquals(Source.INTERACTION, cutoutMixup.source());
        double half = a.effects().effect("cutout:mixup").effect() / 2;
        assertEquals(160 * half * half, cutoutMixup.sumOfSquares(), 1e-8, "n·β² of its ±1 column, as in the effects fit");
        assertTrue(cutoutMixup.share() > 0.01 && cutoutMixup.share() < 0.07, cutoutMixup.toString());
        for (Component c : v.components()) {
            if (c.source() == Source.INTERACTION && c != cutoutMixup) {
                assertTrue(c.share() < cutoutMixup.share() / 4, c.toString());
            }
        }
        // What used to be residual is now split: residual + interactions = the main-effects-only residual.
        double interactions = v.components().stream().filter(c -> c.source() == Source.INTERACTION)
                .mapToDouble(Component::sumOfSquares).sum();
        assertEquals(VarianceDecomposition.decompose(runs, false).component("residual").sumOfSquares(),
                v.component("residual").sumOfSquares() + interactions, 1e-8);
        assertTrue(a.varianceHeadline().contains("then tricks and their two-way interactions"), a.varianceHeadline());
    }

    @Test
    void designWithoutInteractionsSaysWhereTheyWent(@TempDir Path dir) {
        ReportData data;
        try (Store store = Store.open(dir.resolve("ci.db"))) {
            PresetStore.fill(store, "ci"); // one trick at a time: no two tricks are ever on together
            data = ReportBuilder.from(store, "ci", "bench run --matrix ci");
        }
        AnalysisSummary a = data.analysis().get(0);
        assertTrue(a.variance().components().stream().noneMatch(c -> c.source() == Source.INTERACTION));
        assertEquals("Two-way trick interactions are not estimable in this design; what they explain is counted in the"
                + " residual.", a.varianceNote());
        assertTrue(HtmlReport.render(data).contains(a.varianceNote()));
    }
}
