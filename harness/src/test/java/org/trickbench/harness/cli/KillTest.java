package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * Crash safety: `bench run` killed with SIGKILL at seeded random points of its progress (after its 1st,
 * 2nd or 3rd finished epoch) and restarted each time ends with every run done exactly once, nothing done
 * ever redone, and an intact database.
 */
class KillTest {
    private static final int KILLS = 10;
    /** The runner's line after each finished training epoch (labelled with its run where several report). */
    private static final Pattern EPOCH = Pattern.compile("(?m)^(?:[0-9a-f]{10})?\\s*epoch \\d+/\\d+ ");

    private static Process start(Path db, Path log) throws IOException, URISyntaxException {
        return start(db, log, "killable");
    }

    private static Process start(Path db, Path log, String matrixName) throws IOException, URISyntaxException {
        String matrix = Path.of(KillTest.class.getResource("/matrices/" + matrixName + ".yaml").toURI()).toString();
        return BenchProcess.start(log, "run", "--matrix", matrix, "--device", "cpu", "--db", db.toString());
    }

    private static Map<String, String> doneFinishTimes(Path db) {
        Map<String, String> done = new HashMap<>();
        try (Store s = Store.open(db)) {
            for (RunRow r : s.runs().list(null)) {
                if (r.status() == RunStatus.DONE) {
                    done.put(r.id(), r.attempt().finishedAt());
                }
            }
        }
        return done;
    }

    /**
     * Waits until {@code p} has logged {@code epochs} finished epochs after byte {@code from} of the log,
     * and says whether it is still running then (false: it ended first, having no more work).
     */
    private static boolean awaitEpochs(Process p, Path log, long from, int epochs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            String output;
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                byte[] bytes = new byte[(int) Math.max(0, f.length() - from)];
                f.seek(from);
                f.readFully(bytes);
                output = new String(bytes, StandardCharsets.UTF_8);
            }
            if (EPOCH.matcher(output).results().count() >= epochs) {
                return p.isAlive();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no progress in 3 minutes: " + Files.readString(log));
    }

    /** Two `bench run` processes on one database, both run to the end successfully; the store they leave. */
    private static Store runTwoToTheEnd(Path db, Path log, String matrix) throws Exception {
        Process a = start(db, log, matrix);
        Process b = start(db, log, matrix);
        assertTrue(a.waitFor(5, TimeUnit.MINUTES) && b.waitFor(5, TimeUnit.MINUTES), "runners did not finish");
        assertEquals(0, a.exitValue(), Files.readString(log));
        assertEquals(0, b.exitValue(), Files.readString(log));
        return Store.open(db);
    }

    @Test
    void killedAndRestartedRunsFinishExactlyOnceWithAnIntactDatabase(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("results.db");
        Path log = tmp.resolve("bench.log");
        Random random = new Random(20261127);
        Map<String, String> seenDone = new HashMap<>();
        int killedWhileRunning = 0;
        for (int i = 0; i < KILLS; i++) {
            long logged = Files.size(log.toFile().exists() ? log : Files.createFile(log));
            Process p = start(db, log);
            // Kill on progress, not on the clock, so that the kills land mid-run on a fast machine and a
            // slow one alike: after the 1st, 2nd or 3rd epoch this process finishes (a run of the matrix
            // has two, so a kill falls in the middle of a run or just after one ends).
            if (awaitEpochs(p, log, logged, 1 + random.nextInt(3))) {
                p.destroyForcibly();
                p.waitFor();
                killedWhileRunning++;
            }
            Map<String, String> done = doneFinishTimes(db);
            for (Map.Entry<String, String> e : seenDone.entrySet()) {
                assertEquals(e.getValue(), done.get(e.getKey()), "a done run was run again: " + e.getKey());
            }
            seenDone.putAll(done);
        }
        assertTrue(killedWhileRunning >= 5, "the kills must land while runs are in flight: " + killedWhileRunning);
        Process last = start(db, log);
        assertTrue(last.waitFor(5, TimeUnit.MINUTES), "the final run did not finish");
        assertEquals(0, last.exitValue(), Files.readString(log));

        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("killable");
            assertEquals(6, runs.size());
            for (RunRow r : runs) {
                assertEquals(RunStatus.DONE, r.status(), r.id());
                if (seenDone.containsKey(r.id())) {
                    assertEquals(seenDone.get(r.id()), r.attempt().finishedAt(), "a done run was run again: " + r.id());
                }
                assertTrue(s.evaluations().find(r.evaluationId()).isPresent());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            assertTrue(rs.next());
            assertEquals("ok", rs.getString(1));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBatchKilledMidwayRunsAgainWholeAndTwoProcessesShareBatchesWithoutDuplicates(@TempDir Path tmp)
            throws Exception {
        Path db = tmp.resolve("results.db");
        Path log = tmp.resolve("bench.log");
        Files.createFile(log);
        Process p = start(db, log, "killable-batched");
        // The first epoch of the first batch: both of its runs are claimed and neither is done.
        assertTrue(awaitEpochs(p, log, 0, 1), "the batch ended before the kill");
        p.destroyForcibly();
        p.waitFor();
        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("killable-batched");
            assertEquals(2, runs.stream().filter(r -> r.status() == RunStatus.RUNNING).count(),
                    "the batch's two runs are claimed together: " + runs);
            assertEquals(0, runs.stream().filter(r -> r.status() == RunStatus.DONE).count(), "nothing done half-way");
        }
        try (Store s = runTwoToTheEnd(db, log, "killable-batched")) {
            List<RunRow> runs = s.runs().list("killable-batched");
            assertEquals(4, runs.size());
            int attempts = 0;
            for (RunRow r : runs) {
                assertEquals(RunStatus.DONE, r.status());
                assertTrue(s.environment().of(r.id()).get("batch_runs").matches("[12]"), r.id());
                attempts += r.attempt().number();
            }
            assertEquals(6, attempts, "the killed batch's two runs ran twice, the others once");
        }
    }

    @Test
    void twoProcessesOnOneDatabaseSplitTheWorkWithoutDuplicates(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("results.db");
        Path log = tmp.resolve("bench.log");
        try (Store s = runTwoToTheEnd(db, log, "killable")) {
            List<RunRow> runs = s.runs().list("killable");
            assertEquals(6, runs.size());
            for (RunRow r : runs) {
                assertEquals(RunStatus.DONE, r.status());
                // Which process took how many depends on start-up timing; that no run started twice does not.
                assertEquals(1, r.attempt().number(), "run " + r.id() + " was started twice");
            }
        }
    }
}
