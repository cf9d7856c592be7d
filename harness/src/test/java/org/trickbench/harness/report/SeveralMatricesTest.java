package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.trickbench.harness.analysis.EffectEstimate;
import org.trickbench.harness.imports.ImportedResult;
import org.trickbench.harness.imports.ResultsCsv;
import org.trickbench.harness.store.Store;

/** One report of several matrices: pooled where data set and final-training protocol agree, side by side where not. */
class SeveralMatricesTest {
    @TempDir
    Path dir;

    /** A second study under the ci preset's final protocol and fidelity, with another algorithm and no tricks. */
    private Path moreUnderTheCiProtocol() throws IOException {
        return Files.writeString(dir.resolve("more.yaml"), String.join("\n",
                "name: more",
                "datasets: [fashion-mnist]",
                "search-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 600, resolution: 12}",
                "final-fidelity: {channels: 8, cells: 1, epochs: 3, train-subset: 2000, resolution: 12}",
                "protocol: {batch-size: 100}",
                "seeds: [0, 1]",
                "baseline-size: 2",
                "algorithms: [{id: local-search, params: {evaluations: 3}}]",
                ""));
    }

    static void importRows(Store store, String matrix, String csv) {
        List<Store.ImportedRun> runs = new ArrayList<>();
        for (ImportedResult r : ResultsCsv.parse(csv, matrix + ".csv")) {
            runs.add(new Store.ImportedRun(r.id(), r.specJson(), r.dataset(), r.seed(), r.genotype(), r.proxyScore(),
                    r.searchSeconds(), r.accuracy(), Map.of("source", "import")));
        }
        store.importRuns(matrix, ImportedResult.MATRIX_DEFINITION, runs);
    }

    @Test
    void matricesUnderOneProtocolAreAnalysedTogether() throws IOException {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            PresetStore.fill(store, "ci");
            PresetStore.fill(store, moreUnderTheCiProtocol().toString());
            ReportData ci = ReportBuilder.from(store, "ci", "bench run --matrix ci");
            ReportData together = ReportBuilder.from(store, List.of("ci", "more"), "ci+more", "bench run …");

            assertEquals("ci+more", together.matrix());
            assertEquals(1, together.analysis().size(), "one data set, one protocol: one analysis");
            AnalysisSummary a = together.analysis().get(0);
            assertNull(a.protocol());
            Set<String> algorithms = new TreeSet<>();
            a.effects().algorithms().forEach(e -> algorithms.add(e.term()));
            algorithms.add(a.effects().referenceAlgorithm());
            assertEquals(Set.of("gdas", "local-search", "random", "random-search", "rea", "spos"), algorithms);
            // The random baseline of both matrices is the same runs (same specs, same ids): listed once.
            assertEquals(ci.runs().size() + 2, together.runs().size(), "more adds its 2 local-search runs only");
            assertEquals(together.runs().size(), together.runs().stream().map(RunView::runId).distinct().count());
            assertEquals(together.runs().size(), together.statusCounts().get("done"));
            EffectEstimate localSearch = a.effects().effect("local-search");
            assertTrue(Double.isFinite(localSearch.ciLow()), localSearch.toString());

            Path page = HtmlReport.write(together, dir.resolve("reports"));
            assertEquals(dir.resolve("reports").resolve("ci+more").resolve("index.html"), page);
            assertTrue(Files.readString(page).contains("<h2>Attribution: fashion-mnist</h2>"));
        }
    }

    @Test
    void otherProtocolsAndImportedRunsGetTheirOwnAnalysisOnTheSamePage() throws IOException {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            PresetStore.fill(store, "ci");
            PresetStore.fill(store, "smoke"); // 16×16 images, 2 epochs: another protocol
            importRows(store, "sweep", """
                    algorithm,dataset,seed,accuracy,trick:cutout
                    darts-v2,fashion-mnist,0,0.91,on
                    darts-v2,fashion-mnist,0,0.90,off
                    darts-v2,fashion-mnist,1,0.92,on
                    darts-v2,fashion-mnist,1,0.89,off
                    """);
            ReportData data = ReportBuilder.from(store, List.of("ci", "smoke", "sweep"), "all", "…");

            assertEquals(List.of("as trained in ci", "as trained in smoke", "imported into sweep"),
                    data.analysis().stream().map(AnalysisSummary::protocol).toList());
            for (AnalysisSummary a : data.analysis()) {
                assertEquals("fashion-mnist", a.dataset());
            }
            AnalysisSummary sweep = data.analysis().get(2);
            // (0.91 + 0.92)/2 − (0.90 + 0.89)/2 = 0.02: the imported runs alone, no trained run in the fit.
            assertEquals(0.02, sweep.effects().effect("cutout").effect(), 1e-12);
            assertTrue(data.analysis().get(1).relativeImprovement().isEmpty(), "smoke has the random baseline only");
            // Each run belongs to its matrix's group, and each analysis draws only its own runs.
            assertEquals(4, data.runs().stream().filter(r -> "imported into sweep".equals(r.protocol())).count());
            assertEquals(2, data.runs().stream().filter(r -> "as trained in smoke".equals(r.protocol())).count());

            String page = HtmlReport.render(data);
            for (String group : List.of("as trained in ci", "as trained in smoke", "imported into sweep")) {
                assertTrue(page.contains("<h2>Attribution: fashion-mnist · " + group + "</h2>"), group);
            }
        }
    }
}
