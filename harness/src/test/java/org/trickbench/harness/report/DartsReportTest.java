package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.harness.analysis.ArchitectureStatistics.DartsResult;
import org.trickbench.harness.store.Store;

/**
 * Reports of DARTS runs: the architecture statistics of each cell type counted from the stored genotypes,
 * the page's DARTS section with a table for every chart, and a report that holds NAS-Bench-201 and DARTS
 * runs side by side without changing what it says about the NAS-Bench-201 ones.
 */
class DartsReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String NB201_CELL =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

    @TempDir
    Path dir;

    /**
     * rea × {no tricks, cutout} × seeds 0 and 1, and one random baseline genotype per seed and training row,
     * under the ci preset's final protocol and fidelity (so only the space tells its runs from ci's).
     */
    static Path study(Path dir) throws IOException {
        return Files.writeString(dir.resolve("darts-study.yaml"), String.join("\n",
                "name: darts-study",
                "datasets: [fashion-mnist]",
                "search-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 600, resolution: 12}",
                "final-fidelity: {channels: 8, cells: 1, epochs: 3, train-subset: 2000, resolution: 12}",
                "protocol: {batch-size: 100}",
                "seeds: [0, 1]",
                "baseline-size: 1",
                "algorithms: [{id: rea, params: {evaluations: 10}}]",
                "tricks: [cutout]",
                ""));
    }

    /** rea without tricks finds DARTS_V2 with seed 0 and P-DARTS with seed 1; with cutout PC-DARTS; random runs DARTS_V1. */
    static DartsGenotype found(RunSpec spec) {
        if (spec.algorithm().id().equals("random")) {
            return DartsGenotype.DARTS_V1;
        }
        if (!spec.tricks().isEmpty()) {
            return DartsGenotype.PC_DARTS_CIFAR;
        }
        return spec.seed() == 0 ? DartsGenotype.DARTS_V2 : DartsGenotype.PDARTS;
    }

    /** Counts per op in DARTS's order: none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5. */
    private static Map<String, Integer> ops(int... counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            out.put(DartsOp.ids().get(i), counts[i]);
        }
        return out;
    }

    private ReportData dartsOnlyReport() throws IOException {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            PresetStore.fillDarts(store, study(dir).toString(), "darts-study", DartsReportTest::found);
            return ReportBuilder.from(store, "darts-study", "bench run --matrix darts-study");
        }
    }

    private static DartsResult configuration(AnalysisSummary a, String algorithm, String tricks) {
        return a.dartsArchitectures().stream().filter(r -> r.configuration().algorithm().equals(algorithm)
                && r.configuration().trickLabel().equals(tricks)).findFirst().orElseThrow();
    }

    @Test
    void dartsOnlyReportCountsEachCellsOpsAndInputsAndRendersThemAsTables() throws IOException {
        ReportData data = dartsOnlyReport();
        assertEquals(1, data.analysis().size());
        AnalysisSummary a = data.analysis().get(0);
        assertEquals(List.of(), a.architectures(), "no NAS-Bench-201 run, and no DARTS string read as one");
        assertEquals(List.of("random/cutout", "random/no tricks", "rea/cutout", "rea/no tricks"), a.dartsArchitectures()
                .stream().map(r -> r.configuration().algorithm() + "/" + r.configuration().trickLabel()).toList());

        DartsResult rea = configuration(a, "rea", "no tricks");
        assertEquals(2, rea.genotypes());
        assertEquals(2, rea.distinctGenotypes());
        // DARTS_V2's normal cell: 5 sep_conv_3x3, 2 skip_connect, 1 dil_conv_3x3; P-DARTS's: 4 sep_conv_3x3,
        // 2 skip_connect, 1 dil_conv_3x3, 1 dil_conv_5x5.
        assertEquals(ops(0, 0, 0, 4, 9, 0, 2, 1), rea.normal().ops());
        // DARTS_V2's reduction cell: 5 max_pool_3x3, 3 skip_connect (from nodes); P-DARTS's: avg, sep5, sep3, dil5,
        // max, dil3, dil3, dil5.
        assertEquals(ops(0, 6, 1, 3, 1, 1, 2, 2), rea.reduce().ops());
        assertEquals(0.25, rea.normal().meanParameterFreeShare(), 1e-12);
        assertEquals((8.0 / 8 + 2.0 / 8) / 2, rea.reduce().meanParameterFreeShare(), 1e-12);
        // Node 3 of the normal cell: DARTS_V2 (skip_connect, 0), (dil_conv_3x3, 2); P-DARTS (sep_conv_3x3, 0),
        // (dil_conv_5x5, 4).
        List<String> node3 = new ArrayList<>();
        rea.normal().edges().stream().filter(p -> p.node() == 3)
                .forEach(p -> node3.add(p.input() + ":" + p.chosen() + " " + p.ops()));
        assertEquals(List.of("0:2 " + ops(0, 0, 0, 1, 1, 0, 0, 0), "1:0 " + ops(0, 0, 0, 0, 0, 0, 0, 0),
                "2:1 " + ops(0, 0, 0, 0, 0, 0, 1, 0), "3:0 " + ops(0, 0, 0, 0, 0, 0, 0, 0),
                "4:1 " + ops(0, 0, 0, 0, 0, 0, 0, 1)), node3);

        DartsResult random = configuration(a, "random", "no tricks");
        assertEquals(2, random.genotypes(), "one baseline genotype per seed");
        assertEquals(1, random.distinctGenotypes());
        // DARTS_V1's normal cell twice: 3 skip_connect and 5 sep_conv_3x3 each.
        assertEquals(ops(0, 0, 0, 2 * 3, 2 * 5, 0, 0, 0), random.normal().ops());

        String page = HtmlReport.render(data);
        assertTrue(page.contains("<h3>Architectures</h3>\n<h4>DARTS cells</h4>"), "the DARTS section, no NAS-Bench-201 table");
        assertFalse(page.contains("<th>parameter-free edges</th><th>distinct genotypes</th>"));
        assertTrue(page.contains("<tr><td class=\"l\">rea</td><td class=\"l\">no tricks</td><td>2</td><td>2</td>"
                + "<td>25.00%</td><td>62.50%</td></tr>"), "the summary row of rea without tricks");
        for (String cell : List.of("normal", "reduction")) {
            assertTrue(page.contains("<h4>Op frequencies, " + cell + " cells</h4>"), cell);
            assertTrue(page.contains("<h4>rea · no tricks: " + cell + " cell, ops per edge position</h4>"), cell);
        }
        // The overall op table of normal cells: rea without tricks, 16 edges.
        assertTrue(page.contains("<tr><td class=\"l\">rea</td><td class=\"l\">no tricks</td><td>0 (0.00%)</td>"
                + "<td>0 (0.00%)</td><td>0 (0.00%)</td><td>4 (25.00%)</td><td>9 (56.25%)</td><td>0 (0.00%)</td>"
                + "<td>2 (12.50%)</td><td>1 (6.25%)</td></tr>"), "op frequencies as a table");
        String reaNormal = section(page, "<h4>rea · no tricks: normal cell, ops per edge position</h4>");
        // Node 3 from input 0: one skip_connect and one sep_conv_3x3, chosen twice.
        assertTrue(reaNormal.contains("<tr><td>3</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td>"
                + "<td>0</td><td>0</td><td>0</td><td>2</td></tr>"), reaNormal);
        // The inputs node 3 chose: 0 twice, 2 once, 4 once; inputs 1 and 3 never; no input 5 for node 3.
        assertTrue(reaNormal.contains("<tr><td class=\"l\">node 3</td><td>2 (100.00%)</td><td>0 (0.00%)</td>"
                + "<td>1 (50.00%)</td><td>0 (0.00%)</td><td>1 (50.00%)</td><td></td></tr>"), reaNormal);
        // Every heatmap is in the chart data: two of op frequencies, and two per configuration (one per cell type).
        assertEquals(2 + 2 * 4, count(page, "\"kind\":\"heatmap\""));
    }

    @Test
    void dartsFieldsOfAnalysisJsonAreDocumented() throws IOException {
        ReportData data = dartsOnlyReport();
        JsonNode json = JSON.readTree(AnalysisJson.of(data));
        JsonNode rea = json.path("analysis").get(0).path("dartsArchitectures").get(3);
        assertEquals("rea", rea.path("configuration").path("algorithm").asText());
        assertEquals(9, rea.path("normal").path("ops").path("sep_conv_3x3").asInt());
        assertEquals(14, rea.path("reduce").path("edges").size());
        assertEquals("darts", json.path("analysis").get(0).path("costFront").get(0).path("space").asText());
        Set<String> fields = new TreeSet<>();
        AnalysisJsonTest.collectFields(json, fields);
        String doc = Files.readString(AnalysisJsonTest.SCHEMA_DOC);
        List<String> missing = fields.stream().filter(f -> !doc.contains("`" + f + "`")).toList();
        assertEquals(List.of(), missing, "fields of a DARTS report's analysis.json that docs/analysis-json.md does not describe");
    }

    @Test
    void mixedReportAnalysesEachSpaceApartAndLeavesTheNb201AnalysisAsItWas() throws IOException {
        ReportData alone;
        ReportData mixed;
        try (Store store = Store.open(dir.resolve("r.db"))) {
            PresetStore.fill(store, "ci");
            PresetStore.fillDarts(store, study(dir).toString(), "darts-study", DartsReportTest::found);
            alone = ReportBuilder.from(store, "ci", "bench run --matrix ci");
            mixed = ReportBuilder.from(store, List.of("ci", "darts-study"), "ci+darts-study", "…");
        }
        assertEquals(List.of("darts space, as trained in darts-study", "nb201 space, as trained in ci"),
                mixed.analysis().stream().map(AnalysisSummary::protocol).toList(),
                "one analysis per space, each with its own random baseline");
        AnalysisSummary darts = mixed.analysis().get(0);
        AnalysisSummary nb201 = mixed.analysis().get(1);
        assertEquals(List.of(), darts.architectures());
        assertEquals(4, darts.dartsArchitectures().size());
        assertEquals(List.of(), nb201.dartsArchitectures());
        // Every number of the NAS-Bench-201 analysis is what the ci report alone gives.
        assertEquals(withoutProtocol(alone.analysis().get(0)), withoutProtocol(nb201));

        String page = HtmlReport.render(mixed);
        assertTrue(page.contains("<h2>Attribution: fashion-mnist · nb201 space, as trained in ci</h2>"), "NB-201 group");
        assertTrue(page.contains("<h2>Attribution: fashion-mnist · darts space, as trained in darts-study</h2>"), "DARTS group");
        String nb201Section = section(page, "<h2>Attribution: fashion-mnist · nb201 space, as trained in ci</h2>");
        assertTrue(nb201Section.contains("<h3>Architectures</h3>\n<table><tr><th class=\"l\">algorithm</th>"
                + "<th class=\"l\">tricks</th><th>genotypes</th><th>parameter-free edges</th><th>distinct genotypes</th>"),
                "the NAS-Bench-201 table as before");
        // The NAS-Bench-201 runs' page section is the ci report's, label aside.
        String aloneSection = section(HtmlReport.render(alone), "<h2>Attribution: fashion-mnist</h2>");
        assertEquals(withoutCharts(aloneSection), withoutCharts(nb201Section));
    }

    @Test
    void importedDartsRowsAreReadInTheirSpaceAndAnalysedApartFromImportedNb201Rows() throws IOException {
        ReportData data;
        try (Store store = Store.open(dir.resolve("r.db"))) {
            SeveralMatricesTest.importRows(store, "sweep", """
                    algorithm,dataset,seed,accuracy,genotype,space,trick:cutout
                    darts-v2,fashion-mnist,0,0.97,"%s",darts,on
                    darts-v2,fashion-mnist,1,0.96,"%s",darts,off
                    rea,fashion-mnist,0,0.93,%s,,on
                    rea,fashion-mnist,1,0.92,%s,,off
                    """.formatted(DartsGenotype.DARTS_V2, DartsGenotype.PDARTS, NB201_CELL, NB201_CELL));
            data = ReportBuilder.from(store, List.of("sweep"), "sweep", "…");
        }
        assertEquals(List.of("darts space, imported into sweep", "nb201 space, imported into sweep"),
                data.analysis().stream().map(AnalysisSummary::protocol).toList());
        AnalysisSummary darts = data.analysis().get(0);
        assertEquals(List.of(), darts.architectures());
        assertEquals(List.of("cutout", "no tricks"), darts.dartsArchitectures().stream()
                .map(r -> r.configuration().trickLabel()).toList());
        assertEquals(ops(0, 0, 0, 2, 5, 0, 1, 0), darts.dartsArchitectures().get(0).normal().ops(), "DARTS_V2's normal cell");
        AnalysisSummary nb201 = data.analysis().get(1);
        assertEquals(List.of(), nb201.dartsArchitectures());
        assertEquals(2, nb201.architectures().size());
        assertTrue(HtmlReport.render(data).contains("<h2>Attribution: fashion-mnist · darts space, imported into sweep</h2>"));
    }

    private static JsonNode withoutProtocol(AnalysisSummary a) {
        ObjectNode json = JSON.valueToTree(a);
        json.remove("protocol");
        return json;
    }

    /** A chart container's id counts the page's charts so far, which differs between two pages. */
    private static String withoutCharts(String html) {
        return html.replaceAll("id=\"chart-\\d+\"", "id=\"chart\"");
    }

    /** From the heading to the next heading of the same level (or the end of the page). */
    private static String section(String page, String heading) {
        int start = page.indexOf(heading);
        assertTrue(start >= 0, heading);
        String tag = heading.substring(0, 4);
        int end = page.indexOf(tag, start + heading.length());
        return page.substring(start + heading.length(), end < 0 ? page.length() : end);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
