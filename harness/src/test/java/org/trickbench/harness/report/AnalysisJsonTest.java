package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.imports.ImportedResult;
import org.trickbench.harness.imports.ResultsCsv;
import org.trickbench.harness.store.Store;

/** analysis.json: numbers or null, a schema version, every field documented; and numbers on the page printed alike. */
class AnalysisJsonTest {
    /** The schema's description, from the harness module's folder where the tests run. */
    static final Path SCHEMA_DOC = Path.of("..", "docs", "analysis-json.md");

    @TempDir
    Path dir;

    private static Observation run(String algorithm, long seed, double accuracy, boolean cutout) {
        return new Observation(algorithm, "cifar10", seed, Map.of("cutout", cutout), accuracy, null, null, null, false);
    }

    @Test
    void undefinedNumbersAreNullAndTheFileStartsWithItsSchemaVersion() throws IOException {
        // One run per configuration and no random baseline: no seed spread, no RI.
        List<Observation> runs = List.of(run("rea", 0, 0.90, false), run("rea", 0, 0.92, true));
        List<AnalysisSummary> analysis = AnalysisSummary.of(runs, Set.of("cutout"));
        assertTrue(Double.isNaN(analysis.get(0).seeds().get(0).standardDeviation()));
        assertTrue(Double.isNaN(analysis.get(0).relativeImprovement().get(0).relativeImprovement()));
        ReportData data = new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", analysis);

        String text = AnalysisJson.of(data);
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals("schemaVersion", json.fieldNames().next(), "the version comes first");
        assertEquals(AnalysisJson.SCHEMA_VERSION, json.path("schemaVersion").asInt());
        JsonNode summary = json.path("analysis").get(0);
        assertTrue(summary.path("seeds").get(0).path("standardDeviation").isNull());
        assertTrue(summary.path("seeds").get(0).path("mean").isNumber());
        assertTrue(summary.path("relativeImprovement").get(0).path("relativeImprovement").isNull());
        assertTrue(summary.path("relativeImprovement").get(0).path("baselineMean").isNull());
        assertTrue(Files.readString(SCHEMA_DOC).contains("`schemaVersion` | " + AnalysisJson.SCHEMA_VERSION),
                "docs/analysis-json.md describes this version");
    }

    @Test
    void everyFieldOfAFullReportIsDocumented() throws IOException {
        ReportData data;
        try (Store store = Store.open(dir.resolve("ci.db"))) {
            PresetStore.fill(store, "ci");
            data = ReportBuilder.from(store, "ci", "bench run --matrix ci");
        }
        JsonNode json = new ObjectMapper().readTree(AnalysisJson.of(data));
        Set<String> fields = new TreeSet<>();
        collectFields(json, fields);
        String doc = Files.readString(SCHEMA_DOC);
        List<String> missing = new ArrayList<>();
        for (String field : fields) {
            if (!doc.contains("`" + field + "`")) {
                missing.add(field);
            }
        }
        assertEquals(List.of(), missing, "fields of analysis.json that docs/analysis-json.md does not describe");
        assertTrue(fields.size() > 60, "a full report has effects, variance, seeds and more: " + fields);
    }

    static void collectFields(JsonNode node, Set<String> fields) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                fields.add(e.getKey());
                // A map keyed by data (trick ids, status names, environment keys) has ids for keys, not fields.
                if (!(MAPS.contains(e.getKey()) && e.getValue().isObject())) {
                    collectFields(e.getValue(), fields);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectFields(n, fields));
        }
    }

    /** Fields whose values are maps keyed by data: their keys are ids, not schema. */
    private static final Set<String> MAPS = Set.of("statusCounts", "environment", "trickPhases", "tricks", "constantTricks");

    @Test
    void importedRunsWithoutSearchSecondsKeepTheCostEmpty() throws IOException {
        List<ImportedResult> rows = ResultsCsv.parse("""
                algorithm,dataset,seed,accuracy,search-seconds
                rea,cifar10,0,0.91,
                rea,cifar10,1,0.92,120
                """, "x.csv");
        try (Store store = Store.open(dir.resolve("i.db"))) {
            List<Store.ImportedRun> runs = new ArrayList<>();
            for (ImportedResult r : rows) {
                runs.add(new Store.ImportedRun(r.id(), r.specJson(), r.dataset(), r.seed(), r.genotype(), r.proxyScore(),
                        r.searchSeconds(), r.accuracy(), Map.of("source", "import")));
            }
            store.importRuns("x", ImportedResult.MATRIX_DEFINITION, runs);
            ReportData data = ReportBuilder.from(store, "x", "bench import x.csv");
            RunView empty = data.runs().stream().filter(r -> r.seed() == 0).findFirst().orElseThrow();
            assertNull(empty.searchWallSeconds());
            assertNull(empty.finalWallSeconds(), "an imported run's training time is not known");
            RunView costed = data.runs().stream().filter(r -> r.seed() == 1).findFirst().orElseThrow();
            assertEquals(120.0, costed.searchWallSeconds());

            JsonNode json = new ObjectMapper().readTree(AnalysisJson.of(data));
            for (JsonNode run : json.path("runs")) {
                assertEquals(run.path("seed").asInt() == 0, run.path("searchWallSeconds").isNull(), run.toString());
                assertTrue(run.path("finalWallSeconds").isNull(), run.toString());
            }
            String page = HtmlReport.render(data);
            assertFalse(page.contains("<td>0.0</td>"), "no made-up zero cost in the runs table");
            assertTrue(page.contains("1 finished run(s) have no recorded search cost"), "the cost chart says what it left out");
        }
    }

    @Test
    void pValuesAndSpreadsArePrintedAlike() {
        assertEquals("1.0000", HtmlReport.pValue(1.0), "Holm p of 1 beside four-decimal p-values");
        assertEquals("0.0123", HtmlReport.pValue(0.01234));
        assertEquals("0.0001", HtmlReport.pValue(1e-4));
        assertEquals("< 1e-4", HtmlReport.pValue(1e-96));
        assertEquals("< 1e-4", HtmlReport.pValue(0));
        assertEquals("–", HtmlReport.pValue(Double.NaN));
        assertEquals("0.19", HtmlReport.magnitude(0.0019), "a standard deviation has no sign");
        assertEquals("+0.19", HtmlReport.points(0.0019), "an effect has one");

        List<Observation> runs = List.of(run("rea", 0, 0.90, false), run("rea", 1, 0.91, false), run("rea", 0, 0.92, true),
                run("rea", 1, 0.95, true));
        String page = HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run",
                AnalysisSummary.of(runs, Set.of("cutout"))));
        // The seed table: mean 90.50%, sd 0.71 points (no sign), then min 90.00%.
        assertTrue(page.contains("<td>90.50%</td><td>0.71</td><td>90.00%</td>"), page);
    }
}
