package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.harness.analysis.PlantedEffectsTest;
import org.trickbench.harness.analysis.TrickEffects;

/** Below TrickEffects.MIN_BOOTSTRAP_SEEDS the report shows the t interval alone, and says why. */
class FewSeedsTest {
    private static final Set<String> TRAIN_PHASE = Set.of("cutout", "drop-path", "label-smoothing", "mixup");

    private static AnalysisSummary summary(int seeds) {
        return AnalysisSummary.of(PlantedEffectsTest.plantedRuns(new SplittableRandom(8), seeds), TRAIN_PHASE).get(0);
    }

    private static String page(AnalysisSummary a) {
        return HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", List.of(a)));
    }

    private static JsonNode firstForest(String page) throws IOException {
        for (JsonNode chart : new ObjectMapper().readTree(HtmlReportTest.chartData(page)).path("charts")) {
            if (chart.path("kind").asText().equals("forest")) {
                return chart;
            }
        }
        throw new AssertionError("no forest plot");
    }

    @Test
    void fewSeedsShowTheTIntervalAloneWithANote() throws IOException {
        for (int seeds : new int[] {1, 5, TrickEffects.MIN_BOOTSTRAP_SEEDS - 1}) {
            AnalysisSummary a = summary(seeds);
            assertEquals(0, a.effects().bootstrapResamples(), seeds + " seeds");
            assertTrue(a.effects().tricks().stream().allMatch(e -> Double.isNaN(e.bootstrapLow())));
            assertTrue(a.bootstrapNote().startsWith("Seed-bootstrap intervals are not shown: this data set has " + seeds
                    + " seed(s)"), a.bootstrapNote());
            String page = page(a);
            assertTrue(page.contains(HtmlReport.esc(a.bootstrapNote())));
            assertFalse(page.contains("<th>bootstrap</th>"), "no bootstrap column");
            JsonNode forest = firstForest(page);
            assertFalse(forest.path("bootstrap").asBoolean(), "no bootstrap whisker");
            assertFalse(forest.toString().contains("seed bootstrap"), "nor in a tooltip");
        }
    }

    @Test
    void enoughSeedsShowBothIntervals() throws IOException {
        AnalysisSummary a = summary(TrickEffects.MIN_BOOTSTRAP_SEEDS);
        assertEquals(AnalysisSummary.RESAMPLES, a.effects().bootstrapResamples());
        assertNull(a.bootstrapNote());
        a.effects().tricks().forEach(e -> assertTrue(e.bootstrapHigh() > e.bootstrapLow(), e.toString()));
        String page = page(a);
        assertTrue(page.contains("<th>bootstrap</th>"));
        assertTrue(firstForest(page).path("bootstrap").asBoolean());
    }
}
