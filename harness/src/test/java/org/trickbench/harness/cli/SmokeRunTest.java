package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.RunSpec;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.report.HtmlReport;
import org.trickbench.harness.runner.Environment;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/** README's main job, end to end on the real Fashion-MNIST: `bench run --matrix smoke --report`. */
class SmokeRunTest {

    @Test
    void smokeRunsTrainsStoresReportsAndTrainsNothingTheSecondTime(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("results.db");
        Path reports = tmp.resolve("reports");
        BenchCliTest.Result first = BenchCliTest.bench("run", "--matrix", "smoke", "--report", "--device", "cpu",
                "--db", db.toString(), "--out", reports.toString());
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.out().contains("on cpu; DJL 0.36.0"), first.out());
        assertTrue(first.out().contains("epoch 2/2"), first.out());
        Path page = reports.resolve("smoke").resolve("index.html");
        assertTrue(first.out().contains("report: " + page.toAbsolutePath()), first.out());
        String html = Files.readString(page);
        assertTrue(html.contains("random"), "report lists the runs");
        for (String section : HtmlReport.SECTIONS) {
            assertTrue(html.contains("<h2>" + section + "</h2>"), section);
        }
        assertTrue(html.contains("<h2>Attribution: fashion-mnist</h2>"), "the data set's analysis");
        for (String section : HtmlReport.ANALYSIS_SECTIONS) {
            assertTrue(html.contains("<h3>" + section + "</h3>"), section);
        }
        assertTrue(html.contains("<div class=\"chart\""), "charts of the real runs' accuracies and curves");

        List<String> before = dump(db);
        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("smoke");
            assertEquals(2, runs.size());
            for (RunRow r : runs) {
                assertEquals(RunStatus.DONE, r.status());
                assertTrue(r.search().genotype().startsWith("|"));
                EvaluationRow evaluation = s.evaluations().find(r.evaluationId()).orElseThrow();
                double acc = evaluation.testAccuracy();
                assertTrue(evaluation.wallSeconds() > 0, "wall time " + evaluation.wallSeconds());
                assertNull(evaluation.deviceSeconds(), "device time is not measured, so not stored");
                assertTrue(r.search().wallSeconds() > 0, "search wall time " + r.search().wallSeconds());
                assertNull(r.search().deviceSeconds(), "the search's device time is not measured, so not stored");
                // Ten classes: a trained network must beat chance (10%) clearly even at this fidelity.
                assertTrue(acc > 0.3, "test accuracy " + acc);
                assertFalse(s.environment().of(r.id()).isEmpty());
                assertEquals("cpu", s.environment().of(r.id()).get("device"));
            }
        }

        BenchCliTest.Result second = BenchCliTest.bench("run", "--matrix", "smoke", "--device", "cpu", "--db", db.toString());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("nothing to train"), second.out());
        assertFalse(second.out().contains("epoch 1/2"), second.out());
        assertEquals(before, dump(db), "a second run of the same matrix must leave the database unchanged");

        // The same run specs in a fresh database give bit-identical per-epoch metrics (CPU determinism).
        Path other = tmp.resolve("again.db");
        BenchCliTest.Result third = BenchCliTest.bench("run", "--matrix", "smoke", "--device", "cpu", "--db", other.toString());
        assertEquals(0, third.code(), third.err());
        assertEquals(epochValues(db), epochValues(other));
    }

    @Test
    void aRunLeftRunningByAKilledProcessRunsAgainAndADoneRunDoesNot(@TempDir Path tmp) {
        Path db = tmp.resolve("results.db");
        List<RunSpec> specs = Expansion.expand(Matrices.load("smoke"));
        String deadOwner;
        try (Store s = Store.open(db)) {
            s.matrices().upsert("smoke", "{}");
            for (RunSpec spec : specs) {
                s.runs().insertIfAbsent(spec.id(), "smoke", spec.canonicalJson());
            }
            // A process that claimed the first run and was killed with -9: its pid no longer exists.
            Process gone = startAndWait();
            deadOwner = gone.pid() + "@" + Environment.host();
            assertTrue(s.runs().claim(specs.get(0).id(), deadOwner, Environment.host()));
        }
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", "smoke", "--device", "cpu", "--db", db.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("1 run(s) left running by a stopped process will run again"), r.out());
        try (Store s = Store.open(db)) {
            RunRow first = s.runs().find(specs.get(0).id()).orElseThrow();
            assertEquals(RunStatus.DONE, first.status());
            assertEquals(2, first.attempt().number());
            assertEquals(1, s.runs().find(specs.get(1).id()).orElseThrow().attempt().number());
        }
    }

    private static Process startAndWait() {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCorruptDataFileExitsTwoNamingTheFile(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("fmnist");
        Files.createDirectories(data);
        Path real = Path.of("/usr/share/datasets/fashion-mnist");
        for (String f : new String[] {"train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(real.resolve(f), data.resolve(f));
        }
        byte[] images = Files.readAllBytes(real.resolve("train-images-idx3-ubyte.gz"));
        Files.write(data.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(images, images.length / 3));
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", "smoke", "--device", "cpu", "--data-dir",
                data.toString(), "--db", tmp.resolve("r.db").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("train-images-idx3-ubyte.gz"), r.err());
        assertTrue(r.err().contains("truncated"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** Every stored row that a run produces, as text (timestamps included: nothing may be rewritten). */
    private static List<String> dump(Path db) {
        List<String> rows = new ArrayList<>();
        try (Store s = Store.open(db)) {
            for (RunRow r : s.runs().list(null)) {
                rows.add(r.toString());
                rows.add(String.valueOf(s.evaluations().find(r.evaluationId()).orElse(null)));
                rows.add(s.environment().of(r.id()).toString());
                s.epochs().of(r.evaluationId()).forEach(e -> rows.add(e.toString()));
            }
        }
        return rows;
    }

    private static List<String> epochValues(Path db) {
        List<String> values = new ArrayList<>();
        try (Store s = Store.open(db)) {
            for (RunRow r : s.runs().list(null)) {
                for (EpochRow e : s.epochs().of(r.evaluationId())) {
                    if (!e.metric().equals("seconds")) {
                        values.add(r.id() + " " + e.epoch() + " " + e.metric() + " " + Double.doubleToLongBits(e.value()));
                    }
                }
            }
        }
        return values;
    }
}
