package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/** Every registered search algorithm runs through `bench run` at smoke fidelity and finishes done. */
class AlgorithmsEndToEndTest {
    static String matrix(String name) {
        try {
            return Path.of(AlgorithmsEndToEndTest.class.getResource("/matrices/" + name + ".yaml").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a test matrix on the CPU into {@code db}, expects exit 0, and returns the matrix's runs, all done. */
    static List<RunRow> runAllDone(String name, Path db) {
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix(name), "--device", "cpu", "--db", db.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list(name);
            runs.forEach(run -> assertEquals(RunStatus.DONE, run.status(), run.spec()));
            return runs;
        }
    }

    @Test
    void blackBoxAlgorithmsFinishThroughBenchRunWithProxyScores(@TempDir Path tmp) {
        List<RunRow> runs = runAllDone("blackbox", tmp.resolve("r.db"));
        assertEquals(4, runs.size());
        for (RunRow run : runs) {
            if (!run.spec().contains("\"id\":\"random\"")) {
                assertNotNull(run.search().proxyScore(), run.spec());
                assertTrue(run.search().proxyScore() >= 0 && run.search().proxyScore() <= 1, run.spec());
                assertTrue(run.search().wallSeconds() > 0, run.spec());
                // Each matrix entry spends its three evaluations; a black-box search trains no supernet.
                assertEquals(3, run.search().evaluations(), run.spec());
                assertEquals(0, run.search().epochs(), run.spec());
                assertEquals("complete", run.search().stop(), run.spec());
            }
        }
    }

    @Test
    void aFixedReferenceCellTrainsTheGivenGenotypeAndTheReportMarksItAReference(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("r.db");
        List<RunRow> runs = runAllDone("fixed", db);
        assertEquals(1, runs.size());
        assertEquals("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|", runs.get(0).search().genotype());
        assertEquals(0, runs.get(0).search().evaluations(), "no search");

        Path reports = tmp.resolve("reports");
        BenchCliTest.Result r = BenchCliTest.bench("report", "--db", db.toString(), "--out", reports.toString());
        assertEquals(0, r.code(), r.err());
        String html = java.nio.file.Files.readString(reports.resolve("fixed").resolve("index.html"));
        assertTrue(html.contains("fixed {&quot;genotype&quot;:&quot;resnet&quot;} (reference)"), "runs table");
        assertTrue(html.contains("<td class=\"l\">fixed resnet (reference)</td>"), "the analysis's tables");
        assertTrue(html.contains("are reference cells: a given genotype"), "the RI section says what a reference is");
    }

    @Test
    void anUnknownOrOutOfRangeAlgorithmParameterIsRejectedBeforeAnyRun(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.yaml");
        java.nio.file.Files.writeString(file, String.join("\n", "name: bad", "datasets: [fashion-mnist]",
                "final-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 100, resolution: 8}", "seeds: [0]",
                "baseline-size: 0", "algorithms:", "  - {id: rea, params: {populaton: 5}}", ""));
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", file.toString(), "--db", tmp.resolve("r.db").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("populaton"), r.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("r.db")), "nothing may be written before the matrix is valid");
    }

    @Test
    void trickCellsRunWithTheirTricksAndTrainDifferentlyFromTheBase(@TempDir Path tmp) {
        Path db = tmp.resolve("r.db");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix("tricks"), "--device", "cpu", "--db", db.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("tricks");
            assertEquals(6, runs.size());
            java.util.Map<String, Double> baselineAccuracyByTricks = new java.util.TreeMap<>();
            for (RunRow run : runs) {
                assertEquals(RunStatus.DONE, run.status(), run.spec());
                if (run.spec().contains("\"id\":\"random\"")) {
                    String tricks = run.spec().replaceAll(".*\"tricks\":(\\[[^]]*]).*", "$1");
                    baselineAccuracyByTricks.put(tricks, s.evaluations().find(run.evaluationId()).orElseThrow().testAccuracy());
                }
            }
            BenchCliTest.Result report = BenchCliTest.bench("report", "--db", db.toString(), "--out", tmp.resolve("reports").toString());
            assertEquals(0, report.code(), report.err());
            try {
                String html = java.nio.file.Files.readString(tmp.resolve("reports/tricks/index.html"));
                assertTrue(html.contains("Attribution: fashion-mnist"), html);
                for (String section : org.trickbench.harness.report.HtmlReport.ANALYSIS_SECTIONS) {
                    assertTrue(html.contains(section), section);
                }
                String json = java.nio.file.Files.readString(tmp.resolve("reports/tricks/analysis.json"));
                assertTrue(json.contains("\"relativeImprovement\""), json);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // The same random genotype and seed trained with and without each trick: three distinct evaluations.
            assertEquals(3, baselineAccuracyByTricks.size(), baselineAccuracyByTricks.toString());
            assertEquals(3, baselineAccuracyByTricks.values().stream().distinct().count(), baselineAccuracyByTricks.toString());
        }
    }

    @Test
    void divergedRunsAreRecordedTheMatrixGoesOnAndRetryFailedRunsThemAgain(@TempDir Path tmp) {
        Path db = tmp.resolve("r.db");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix("diverge"), "--device", "cpu", "--db", db.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("2 failed"), r.out());
        try (Store s = Store.open(db)) {
            for (RunRow run : s.runs().list("diverge")) {
                assertEquals(RunStatus.DIVERGED, run.status());
                assertTrue(run.failure().errorMessage().contains("NaN or infinite"), run.failure().errorMessage());
            }
        }
        BenchCliTest.Result status = BenchCliTest.bench("status", "--db", db.toString());
        assertTrue(status.out().contains("2 diverged"), status.out());
        BenchCliTest.Result again = BenchCliTest.bench("run", "--matrix", matrix("diverge"), "--device", "cpu", "--db", db.toString());
        assertTrue(again.out().contains("diverged earlier, not retried"), again.out());
        BenchCliTest.Result retry = BenchCliTest.bench("run", "--matrix", matrix("diverge"), "--device", "cpu", "--db",
                db.toString(), "--retry-failed");
        assertTrue(retry.out().contains("2 failed run(s) will run again"), retry.out());
        try (Store s = Store.open(db)) {
            s.runs().list("diverge").forEach(run -> assertEquals(2, run.attempt().number()));
        }
    }

    @Test
    void gradientAlgorithmsFinishThroughBenchRunWithAValidGenotypeProxyScoreAndSearchCurves(@TempDir Path tmp) {
        Path db = tmp.resolve("r.db");
        List<RunRow> runs = runAllDone("gradient", db);
        assertEquals(3, runs.size());
        try (Store s = Store.open(db)) {
            for (RunRow run : runs) {
                org.trickbench.core.space.nb201.Genotype.parse(run.search().genotype());
                assertTrue(run.search().wallSeconds() > 0, run.spec());
                assertNotNull(run.search().proxyScore(), run.spec());
                assertTrue(run.search().proxyScore() >= 0 && run.search().proxyScore() <= 1, run.spec());
                assertEquals(2, run.search().epochs(), run.spec());
                assertEquals("complete", run.search().stop(), run.spec());
                java.util.Map<String, List<Double>> curves = searchCurves(s.epochs().of(run.id()));
                assertEquals(2, curves.get("alpha_entropy").size(), run.spec());
                curves.get("alpha_entropy").forEach(h -> assertTrue(h > 0 && h <= Math.log(5) + 1e-9, run.spec()));
                assertEquals(2, curves.get("argmax_valid_acc").size(), run.spec());
                if (run.spec().contains("\"id\":\"gdas\"")) {
                    assertEquals(List.of(10.0, 0.1), curves.get("tau"), "τ is annealed from 10 to 0.1");
                } else {
                    assertNull(curves.get("tau"), "DARTS has no temperature");
                }
            }
        }
        BenchCliTest.Result json = BenchCliTest.bench("export", "--format", "json", "--db", db.toString());
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"phase\" : \"search\"") && json.out().contains("\"metric\" : \"tau\""),
                "the search's epochs are exported with the run");
        BenchCliTest.Result csv = BenchCliTest.bench("export", "--db", db.toString());
        List<String> lines = csv.out().strip().lines().toList();
        assertTrue(lines.get(0).endsWith(",search_epochs,search_evaluations,search_stop"), lines.get(0));
        lines.subList(1, lines.size()).forEach(line -> assertTrue(line.endsWith(",2,0,complete"), line));
    }

    /** The search-phase epochs of a run, metric by metric in epoch order. */
    private static java.util.Map<String, List<Double>> searchCurves(List<EpochRow> rows) {
        java.util.Map<String, List<Double>> curves = new java.util.TreeMap<>();
        rows.stream().filter(e -> e.phase().equals("search"))
                .sorted(java.util.Comparator.comparingInt(EpochRow::epoch))
                .forEach(e -> curves.computeIfAbsent(e.metric(), k -> new java.util.ArrayList<>()).add(e.value()));
        return curves;
    }

    @Test
    void theNineAlgorithmsAndTheBaselineFinishThroughBenchRun(@TempDir Path tmp) {
        List<RunRow> runs = runAllDone("nine", tmp.resolve("r.db"));
        assertEquals(9, runs.size());
        java.util.Set<String> algorithms = new java.util.TreeSet<>();
        runs.forEach(run -> algorithms.add(run.spec().replaceAll(".*\"algorithm\":\\{\"id\":\"([a-z0-9-]+)\".*", "$1")));
        assertEquals(java.util.Set.of("random", "random-search", "rea", "local-search", "darts-v1", "darts-v2", "gdas",
                "spos", "rsws"), algorithms);
    }
}
