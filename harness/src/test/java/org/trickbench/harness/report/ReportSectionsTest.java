package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.Store;

/** The presets' reports, from stores shaped like their real runs: every section there, charts where data allow. */
class ReportSectionsTest {
    @TempDir
    Path dir;

    private ReportData report(String preset) {
        try (Store store = Store.open(dir.resolve(preset + ".db"))) {
            PresetStore.fill(store, preset);
            return ReportBuilder.from(store, preset, "bench run --matrix " + preset);
        }
    }

    /** Asserts every heading the page always has, and returns the kinds of its charts with their titles. */
    static List<String> assertEverySection(String page) throws IOException {
        for (String section : HtmlReport.SECTIONS) {
            assertTrue(page.contains("<h2>" + section + "</h2>"), section);
        }
        assertTrue(page.contains("<h2>Attribution: fashion-mnist</h2>"), "the data set's analysis");
        for (String section : HtmlReport.ANALYSIS_SECTIONS) {
            assertTrue(page.contains("<h3>" + section + "</h3>"), section);
        }
        List<String> charts = new ArrayList<>();
        new ObjectMapper().readTree(HtmlReportTest.chartData(page)).path("charts")
                .forEach(c -> charts.add(c.path("kind").asText() + ": " + c.path("title").asText()));
        return charts;
    }

    @Test
    void ciReportHasEverySectionAndEveryKindOfChart() throws IOException {
        ReportData data = report("ci");
        AnalysisSummary a = data.analysis().get(0);
        assertNotNull(a.effects(), a.effectsNote());
        assertNotNull(a.variance(), a.varianceNote());
        // The ci preset's random baseline is trained with each row's training tricks; all four act in final training.
        assertEquals(List.of("cutout", "drop-path", "label-smoothing", "mixup"),
                a.protocolGain().stream().map(org.trickbench.harness.analysis.ProtocolGain.Result::trick).toList(),
                a.protocolGainNote());

        String page = HtmlReport.render(data);
        assertTrue(page.contains("<th>searched − random</th>"), "the comparison's table");
        List<String> charts = assertEverySection(page);

        Set<String> kinds = new TreeSet<>();
        charts.forEach(c -> kinds.add(c.substring(0, c.indexOf(':'))));
        assertEquals(Set.of("bars", "boxplot", "curves", "forest", "scatter"), kinds, charts.toString());
        // cutout and drop-path act in search too, label-smoothing and mixup in final training only.
        assertTrue(charts.contains("forest: Search-side tricks (act in the search and the final training)"), charts.toString());
        assertTrue(charts.contains("forest: Train-side tricks (act in the final training only)"), charts.toString());
        assertTrue(charts.contains("scatter: Final accuracy against search cost"), charts.toString());
        assertTrue(charts.contains("scatter: Proxy score against final accuracy"), charts.toString());
        assertEquals(5, charts.stream().filter(c -> c.startsWith("curves:")).count(), "one per stored metric");
        assertTrue(!a.costFront().isEmpty() && a.costFront().size() < data.runs().size(), "a front, not every run");
    }

    @Test
    void relativeImprovementChartDrawsEachConfigurationsIntervalOverSeeds() throws IOException {
        ReportData data = report("ci");
        List<org.trickbench.harness.analysis.RelativeImprovement.Result> ri = data.analysis().get(0).relativeImprovement();
        JsonNode bars = null;
        for (JsonNode c : new ObjectMapper().readTree(HtmlReportTest.chartData(HtmlReport.render(data))).path("charts")) {
            if (c.path("title").asText().equals("Relative improvement over the random baseline")) {
                bars = c;
            }
        }
        assertNotNull(bars);
        assertEquals(ri.size(), bars.path("rows").size());
        for (int i = 0; i < ri.size(); i++) {
            JsonNode row = bars.path("rows").get(i);
            var r = ri.get(i);
            assertTrue(r.riLow() < r.relativeImprovement() && r.relativeImprovement() < r.riHigh(), r.toString());
            assertEquals(r.riLow(), row.path("low").asDouble(), 1e-12);
            assertEquals(r.riHigh(), row.path("high").asDouble(), 1e-12);
            assertTrue(row.path("tip").toString().contains("95% interval ["), row.toString());
        }
    }

    @Test
    void searchSideAndTrainSideForestPlotsShareOneScaleThatShowsZero() throws IOException {
        String page = HtmlReport.render(report("ci"));

        List<JsonNode> extents = new ArrayList<>();
        new ObjectMapper().readTree(HtmlReportTest.chartData(page)).path("charts").forEach(c -> {
            if (c.path("kind").asText().equals("forest") && c.path("title").asText().contains("-side tricks")) {
                extents.add(c.path("extent"));
            }
        });
        assertEquals(2, extents.size());
        assertEquals(extents.get(0), extents.get(1));
        assertTrue(extents.get(0).get(0).asDouble() <= 0 && extents.get(0).get(1).asDouble() >= 0, extents.toString());
    }

    @Test
    void smokeReportOfTheRandomBaselineAloneStillHasEverySection() throws IOException {
        ReportData data = report("smoke");

        List<String> charts = assertEverySection(HtmlReport.render(data));

        assertTrue(charts.contains("scatter: Final accuracy against search cost"), charts.toString());
        assertTrue(charts.contains("boxplot: Final accuracy per configuration over seeds"), charts.toString());
    }

    @Test
    void analysisJsonHoldsTheNumbersTheChartsDraw() throws IOException {
        Path page = HtmlReport.write(report("ci"), dir.resolve("reports"));

        JsonNode analysis = new ObjectMapper().readTree(page.resolveSibling("analysis.json").toFile()).path("analysis").get(0);
        assertTrue(analysis.path("costFront").size() > 0, "the Pareto front");
        assertTrue(analysis.path("seeds").get(0).has("lowerQuartile"), "the box plot's quartiles");
        assertTrue(analysis.path("protocolGain").get(0).path("onRandom").has("ciLow"), "random versus searched");
    }
}
