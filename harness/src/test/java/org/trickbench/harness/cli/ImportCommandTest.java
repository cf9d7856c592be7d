package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

class ImportCommandTest {
    private static final String CSV = """
            algorithm,dataset,seed,accuracy-percent,trick:cutout,trick:warmup-from-paper,proxy-score,search-seconds
            rea,cifar10,0,93.1,on,off,12.5,3600
            rea,cifar10,0,92.0,off,off,11.0,3500
            rea,cifar10,1,93.4,on,on,,
            rea,cifar10,1,92.2,off,on,,
            random,cifar10,0,91.0,on,off,,
            random,cifar10,0,90.1,off,off,,
            rea,cifar10,1,92.2,off,on,,
            """;

    @Test
    void importStoresDoneRunsMarkedImportedAndASecondImportAddsNothing(@TempDir Path tmp) throws Exception {
        Path csv = Files.writeString(tmp.resolve("other-tool.csv"), CSV);
        Path db = tmp.resolve("results.db");
        BenchCliTest.Result first = BenchCliTest.bench("import", csv.toString(), "--db", db.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("7 row(s), 6 run(s), 6 new, 0 already in"), first.out());
        assertTrue(first.out().contains("1 row(s) repeat an earlier row exactly"), first.out());
        assertTrue(first.out().contains("free-form trick(s), not in `bench list tricks`: warmup-from-paper"), first.out());
        List<String> before;
        try (Store s = Store.open(db)) {
            assertEquals(List.of("other-tool"), s.matrices().names());
            List<RunRow> runs = s.runs().list("other-tool");
            assertEquals(6, runs.size());
            for (RunRow r : runs) {
                assertEquals(RunStatus.DONE, r.status());
                assertTrue(r.spec().contains("\"source\":\"import\""), r.spec());
                assertTrue(s.evaluations().find(r.evaluationId()).orElseThrow().testAccuracy() > 0.9);
                assertEquals("import", s.environment().of(r.id()).get("source"));
                assertEquals("other-tool.csv", s.environment().of(r.id()).get("file"));
            }
            before = runs.stream().map(r -> r.id() + r.spec()).toList();
        }

        BenchCliTest.Result again = BenchCliTest.bench("import", csv.toString(), "--db", db.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("6 run(s), 0 new, 6 already in"), again.out());
        try (Store s = Store.open(db)) {
            assertEquals(before, s.runs().list("other-tool").stream().map(r -> r.id() + r.spec()).toList());
        }

        Path reports = tmp.resolve("reports");
        BenchCliTest.Result report = BenchCliTest.bench("report", "--db", db.toString(), "--out", reports.toString());
        assertEquals(0, report.code(), report.err());
        String html = Files.readString(reports.resolve("other-tool").resolve("index.html"));
        assertTrue(html.contains("rea (imported)"), "imported runs are marked in the report");
        assertTrue(html.contains("bench import FILE.csv --matrix other-tool"), "the page does not claim bench run made them");
        String json = Files.readString(reports.resolve("other-tool").resolve("analysis.json"));
        assertTrue(json.contains("\"term\" : \"cutout\""), json);
        assertTrue(json.contains("\"term\" : \"warmup-from-paper\""), "free-form tricks are factors: " + json);
    }

    @Test
    void randomRowsWithASearchOnlyTrickOnAreWarnedAboutAndTheReportSaysTheBaselinePoolsOverIt(@TempDir Path tmp)
            throws Exception {
        // prior-space acts only in the search. Searched rows differ by it; two random rows record it on, which
        // cannot have acted on a drawn genotype. cutout acts in the final training and is matched on.
        Path csv = Files.writeString(tmp.resolve("sweep.csv"), """
                algorithm,dataset,seed,accuracy-percent,trick:cutout,trick:prior-space
                rea,cifar10,0,93.0,on,on
                rea,cifar10,0,92.0,on,off
                rea,cifar10,1,91.0,off,on
                rea,cifar10,1,90.0,off,off
                random,cifar10,0,88.0,on,on
                random,cifar10,1,86.0,on,off
                random,cifar10,0,85.0,off,on
                random,cifar10,1,83.0,off,off
                """);
        Path db = tmp.resolve("results.db");
        BenchCliTest.Result r = BenchCliTest.bench("import", csv.toString(), "--db", db.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("warning: " + csv + ": 2 random-baseline row(s) record prior-space as on, but prior-space acts only in"
                + " the search and a random baseline has no search; relative improvement matches the baseline on"
                + " final-training tricks only and pools over prior-space (docs/import.md)", r.err().strip());

        Path reports = tmp.resolve("reports");
        assertEquals(0, BenchCliTest.bench("report", "--db", db.toString(), "--out", reports.toString()).code());
        com.fasterxml.jackson.databind.JsonNode analysis = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(reports.resolve("sweep").resolve("analysis.json").toFile()).path("analysis").get(0);
        assertEquals("Each configuration is compared with the random-baseline runs that had the same final-training tricks"
                + " (cutout); the baseline pools over the search-only tricks (prior-space), which cannot act on a random"
                + " genotype: it has no search.", analysis.path("relativeImprovementNote").asText());
        for (com.fasterxml.jackson.databind.JsonNode ri : analysis.path("relativeImprovement")) {
            // Both cutout-on baselines (88, 86: mean 87) serve rea with cutout on, whatever prior-space was.
            boolean cutout = ri.path("configuration").path("tricks").path("cutout").asBoolean();
            assertEquals(2, ri.path("baselineN").asInt(), ri.toString());
            assertEquals(cutout ? 0.87 : 0.84, ri.path("baselineMean").asDouble(), 1e-12, ri.toString());
        }
        String html = Files.readString(reports.resolve("sweep").resolve("index.html"));
        assertTrue(html.contains("the baseline pools over the search-only tricks (prior-space)"), "the RI section says it");

        BenchCliTest.Result clean = BenchCliTest.bench("import", Files.writeString(tmp.resolve("clean.csv"),
                "algorithm,dataset,seed,accuracy,trick:prior-space\nrandom,cifar10,0,0.8,off\nrea,cifar10,0,0.9,on\n")
                .toString(), "--db", db.toString());
        assertEquals("", clean.err(), "no warning when random rows leave search-only tricks off");
    }

    @Test
    void badRowExitsTwoWithOneLineNamingFileLineAndColumnAndStoresNothing(@TempDir Path tmp) throws Exception {
        Path csv = Files.writeString(tmp.resolve("bad.csv"), "algorithm,dataset,seed,accuracy,trick:cutout\n"
                + "rea,cifar10,0,0.9,on\nrea,cifar10,1,0.9,maybe\n");
        Path db = tmp.resolve("results.db");
        BenchCliTest.Result r = BenchCliTest.bench("import", csv.toString(), "--db", db.toString());
        assertEquals(2, r.code());
        assertEquals("bench: " + csv + " line 3, column 'trick:cutout': 'maybe' is not a trick setting; allowed: 1, on,"
                + " true (on) or 0, off, false (off), in any case", r.err().strip());
        assertFalse(Files.exists(db), "nothing is stored from a file with a bad row");
    }

    @Test
    void importRefusesToMixIntoAMatrixThatBenchRunWrote(@TempDir Path tmp) throws Exception {
        Path csv = Files.writeString(tmp.resolve("r.csv"), "algorithm,dataset,seed,accuracy\nrea,cifar10,0,0.9\n");
        Path db = tmp.resolve("results.db");
        try (Store s = Store.open(db)) {
            s.matrices().upsert("smoke", "{\"name\":\"smoke\"}");
        }
        BenchCliTest.Result r = BenchCliTest.bench("import", csv.toString(), "--db", db.toString(), "--matrix", "smoke");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("matrix 'smoke' in " + db + " holds runs of `bench run`"), r.err());
        BenchCliTest.Result missing = BenchCliTest.bench("import", tmp.resolve("none.csv").toString(), "--db", db.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.csv: no such file"), missing.err());
    }

    @Test
    void helpDocumentsTheColumnsAndTheTrickValues() {
        BenchCliTest.Result r = BenchCliTest.bench("import", "--help");
        assertEquals(0, r.code());
        for (String s : List.of("algorithm", "accuracy-percent", "trick:<id>", "1, on, true", "free-form", "--matrix")) {
            assertTrue(r.out().contains(s), s + " in " + r.out());
        }
    }
}
