package org.trickbench.harness.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

class StoreTest {
    private static final String SPEC = "{\"algorithm\":{\"id\":\"random\",\"params\":{\"index\":0}},\"dataset\":\"fashion-mnist\",\"seed\":3}";
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path dir;

    /** A clock the test moves by hand, so heartbeat ages are exact and nothing sleeps. */
    private static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private Path db() {
        return dir.resolve("results.db");
    }

    private Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db());
    }

    private long rawLong(String sql) throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private void rawExecute(String... sql) throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    // ---- opening and schema ----

    @Test
    void newFileGetsTheLatestSchemaVersionInWalMode() {
        try (Store store = Store.open(db())) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertEquals("wal", store.journalMode());
            assertEquals(db(), store.file());
        }
        assertTrue(Files.isRegularFile(db()));
    }

    @RepeatedTest(20)
    void processesOpeningOneNewFileAtOnceMigrateItOnce() throws Exception {
        // Each Store has its own connection, as two `bench run` processes have; all start together.
        int openers = 6;
        var pool = Executors.newFixedThreadPool(openers);
        var start = new CountDownLatch(1);
        try {
            List<Future<Integer>> versions = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                versions.add(pool.submit(() -> {
                    start.await();
                    try (Store store = Store.open(db())) {
                        return store.schemaVersion();
                    }
                }));
            }
            start.countDown();
            for (var v : versions) {
                assertEquals(Schema.latestVersion(), v.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = raw(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void reopeningKeepsTheDataAndDoesNotMigrateAgain() throws SQLException {
        try (Store store = Store.open(db())) {
            assertTrue(store.runs().insertIfAbsent("r1", "m", SPEC));
            store.matrices().upsert("m", "{\"v\":1}");
        }
        try (Store store = Store.open(db())) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertEquals(RunStatus.PENDING, store.runs().find("r1").orElseThrow().status());
            assertEquals(SPEC, store.runs().find("r1").orElseThrow().spec());
            assertEquals(List.of("m"), store.matrices().names());
        }
        // A second migration would either fail on CREATE TABLE or leave more than one version row.
        assertEquals(1, rawLong("SELECT count(*) FROM schema_version"));
        assertEquals(Schema.latestVersion(), rawLong("SELECT version FROM schema_version"));
    }

    @Test
    void aVersionOneDatabaseMigratesKeepingItsRunsInTheirMatrix() throws SQLException {
        // Build a version-1 file by hand: version 1's statements only.
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version(version INTEGER NOT NULL)");
            for (String sql : Schema.MIGRATIONS.get(0)) {
                s.execute(sql);
            }
            s.execute("INSERT INTO schema_version VALUES (1)");
            s.execute("INSERT INTO runs(id, matrix, spec, status) VALUES ('old', 'm1', '{}', 'done')");
        }
        try (Store store = Store.open(db())) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertEquals(List.of("old"), store.runs().list("m1").stream().map(RunRow::id).toList());
            assertEquals(Map.of("done", 1), store.runs().statusCounts("m1"));
            RunRow old = store.runs().find("old").orElseThrow();
            assertNull(old.search().epochs(), "a run finished before budgets were recorded has none");
            assertNull(old.search().evaluations());
            assertNull(old.search().stop());
        }
    }

    @Test
    void anEvaluationsUnmeasuredDeviceTimeIsStoredAndReadAsNull() {
        try (Store store = Store.open(db())) {
            store.evaluations().save(evaluation("unmeasured", null));
            store.evaluations().save(evaluation("measured", 2.5));
            EvaluationRow unmeasured = store.evaluations().find("unmeasured").orElseThrow();
            assertNull(unmeasured.deviceSeconds(), "not measured stays NULL, not 0");
            assertEquals(12.0, unmeasured.wallSeconds());
            assertEquals(2.5, store.evaluations().find("measured").orElseThrow().deviceSeconds());
        }
    }

    @Test
    void migratingToVersionFiveForgetsTheWallTimeStoredAsDeviceTime() throws SQLException {
        // A version-4 file whose evaluation holds its wall time in device_s, as version 4 wrote it.
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version(version INTEGER NOT NULL)");
            for (List<String> migration : Schema.MIGRATIONS.subList(0, 4)) {
                for (String sql : migration) {
                    s.execute(sql);
                }
            }
            s.execute("INSERT INTO schema_version VALUES (4)");
            s.execute("INSERT INTO evaluations(id, genotype, protocol_hash, dataset, seed, fidelity, status, epochs,"
                    + " wall_s, device_s, created_at) VALUES ('e', 'g', 'p', 'd', 0, 'f', 'done', 2, 7.5, 7.5, 'now')");
        }
        try (Store store = Store.open(db())) {
            EvaluationRow e = store.evaluations().find("e").orElseThrow();
            assertEquals(7.5, e.wallSeconds(), "the wall time stays where it belongs");
            assertNull(e.deviceSeconds());
        }
    }

    private static EvaluationRow evaluation(String id, Double deviceSeconds) {
        return new EvaluationRow(id, "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|", "proto", "fashion-mnist",
                0, "tiny", RunStatus.DONE, 0.5, 0.6, 1.2, 100L, 1000L, 2, null, 12.0, deviceSeconds);
    }

    @Test
    void clearEpochsForgetsOnlyThatOwnersCurve() {
        try (Store store = Store.open(db())) {
            store.epochs().append("e1", "final", 0, Map.of("loss", 1.0));
            store.epochs().append("e2", "final", 0, Map.of("loss", 2.0));
            store.epochs().clear("e1");
            assertTrue(store.epochs().of("e1").isEmpty());
            assertEquals(1, store.epochs().of("e2").size());
        }
    }

    @Test
    void aSpecListedByTwoMatricesIsOneRunInBoth() {
        try (Store store = Store.open(db())) {
            assertTrue(store.runs().insertIfAbsent("shared", "a", SPEC));
            assertFalse(store.runs().insertIfAbsent("shared", "b", SPEC));
            assertTrue(store.runs().insertIfAbsent("only-b", "b", SPEC));
            assertEquals(List.of("shared"), store.runs().list("a").stream().map(RunRow::id).toList());
            assertEquals(List.of("only-b", "shared"), store.runs().list("b").stream().map(RunRow::id).toList());
            assertEquals(2, store.runs().list(null).size());
            assertEquals(Map.of("pending", 2), store.runs().statusCounts("b"));
        }
    }

    @Test
    void newerSchemaVersionIsRefusedNamingTheFileAndBothVersions() throws SQLException {
        rawExecute("CREATE TABLE schema_version(version INTEGER NOT NULL)", "INSERT INTO schema_version VALUES (99)");

        UserInputException e = assertThrows(UserInputException.class, () -> Store.open(db()));

        String message = e.getMessage();
        assertTrue(message.contains(db().toString()), message);
        assertTrue(message.contains("99"), message);
        String withoutFileAndFound = message.replace(db().toString(), "").replace("99", "");
        assertTrue(withoutFileAndFound.matches("(?s).*\\b" + Schema.latestVersion() + "\\b.*"),
                "message must name the supported version " + Schema.latestVersion() + ": " + message);
        // Refusing must not touch the newer file's schema.
        assertEquals(99, rawLong("SELECT max(version) FROM schema_version"));
        assertEquals(0, rawLong("SELECT count(*) FROM sqlite_master WHERE name = 'runs'"));
    }

    @Test
    void fileThatIsNotSqliteIsRefusedNamingTheFile() throws IOException {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 4096; i++) {
            text.append((char) ('a' + random.nextInt(26)));
            if (i % 64 == 63) {
                text.append('\n');
            }
        }
        Files.writeString(db(), text, StandardCharsets.US_ASCII);

        UserInputException e = assertThrows(UserInputException.class, () -> Store.open(db()));

        assertTrue(e.getMessage().contains(db().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("file is not a database"), e.getMessage());
        assertEquals(text.toString(), Files.readString(db(), StandardCharsets.US_ASCII));
    }

    // ---- runs ----

    @Test
    void insertRunIfAbsentIsIdempotentAndKeepsTheFirstSpec() {
        try (Store store = Store.open(db())) {
            assertTrue(store.runs().insertIfAbsent("r1", "m", SPEC));
            assertFalse(store.runs().insertIfAbsent("r1", "other", "{\"seed\":9}"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(SPEC, row.spec());
            assertEquals("m", row.matrix());
            assertEquals(RunStatus.PENDING, row.status());
            assertEquals(0, row.attempt().number());
            assertEquals(1, store.runs().list(null).size());
        }
    }

    @Test
    void claimTurnsAPendingRunIntoARunningFirstAttempt() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(db(), clock)) {
            store.runs().insertIfAbsent("r1", "m", SPEC);

            assertTrue(store.runs().claim("r1", "owner-a", "host-a"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(RunStatus.RUNNING, row.status());
            assertEquals(1, row.attempt().number());
            assertEquals("owner-a", row.attempt().owner());
            assertEquals("host-a", row.attempt().host());
            assertEquals(T0.toString(), row.attempt().startedAt());
        }
    }

    @Test
    void claimOfAnUnknownRunFails() {
        try (Store store = Store.open(db())) {
            assertFalse(store.runs().claim("nope", "owner-a", "host"));
            assertTrue(store.runs().find("nope").isEmpty());
        }
    }

    @Test
    void doneRunCannotBeClaimed() {
        try (Store store = Store.open(db())) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            store.runs().claim("r1", "owner-a", "host");
            store.runs().complete("r1", "owner-a", new RunCompletion("g", 0.5, 1.0, 2.0, null));

            assertFalse(store.runs().claim("r1", "owner-b", "host"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(RunStatus.DONE, row.status());
            assertEquals(1, row.attempt().number());
            assertEquals("owner-a", row.attempt().owner());
        }
    }

    @Test
    void runningRunCannotBeClaimedByAnotherOwner() {
        try (Store store = Store.open(db())) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            assertTrue(store.runs().claim("r1", "owner-a", "host-a"));

            assertFalse(store.runs().claim("r1", "owner-b", "host-b"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals("owner-a", row.attempt().owner());
            assertEquals("host-a", row.attempt().host());
            assertEquals(1, row.attempt().number());
        }
    }

    @Test
    void interruptedRunCanBeClaimedAgainAsASecondAttempt() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(db(), clock)) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            store.runs().claim("r1", "owner-a", "host-a");
            clock.set(T0.plus(Duration.ofHours(1)));
            assertEquals(1, store.runs().markStaleRunning(Duration.ofMinutes(5)));
            assertEquals(RunStatus.INTERRUPTED, store.runs().find("r1").orElseThrow().status());

            assertTrue(store.runs().claim("r1", "owner-b", "host-b"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(RunStatus.RUNNING, row.status());
            assertEquals(2, row.attempt().number());
            assertEquals("owner-b", row.attempt().owner());
        }
    }

    @Test
    void claimSucceedsOnceWhenTwoConnectionsRace() throws Exception {
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> String.format("run-%02d", i)).toList();
        try (Store first = Store.open(db()); Store second = Store.open(db())) {
            ids.forEach(id -> first.runs().insertIfAbsent(id, "m", SPEC));
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<List<String>> a = pool.submit(() -> claimAll(first, "owner-a", ids, start));
                Future<List<String>> b = pool.submit(() -> claimAll(second, "owner-b", ids, start));
                List<String> claimed = new ArrayList<>(a.get(60, TimeUnit.SECONDS));
                claimed.addAll(b.get(60, TimeUnit.SECONDS));

                assertEquals(ids, claimed.stream().sorted().toList(), "every id claimed exactly once in total");
            } finally {
                pool.shutdownNow();
            }
            for (RunRow row : first.runs().list("m")) {
                assertEquals(RunStatus.RUNNING, row.status(), row.id());
                assertEquals(1, row.attempt().number(), row.id());
            }
        }
    }

    private static List<String> claimAll(Store store, String owner, List<String> ids, CyclicBarrier start)
            throws Exception {
        start.await(30, TimeUnit.SECONDS);
        List<String> won = new ArrayList<>();
        for (String id : ids) {
            if (store.runs().claim(id, owner, "host")) {
                won.add(id);
            }
        }
        return won;
    }

    @Test
    void completeRunStoresGenotypeEvaluationAndCosts() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(db(), clock)) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            store.runs().claim("r1", "owner-a", "host");
            clock.set(T0.plusSeconds(90));

            store.runs().complete("r1", "owner-a", new RunCompletion("|nor_conv_3x3~0|", 0.625, 12.5, 3.25, "eval-1", 7, 0,
                    "seconds"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(7, row.search().epochs());
            assertEquals(0, row.search().evaluations());
            assertEquals("seconds", row.search().stop());
            assertEquals(RunStatus.DONE, row.status());
            assertEquals("|nor_conv_3x3~0|", row.search().genotype());
            assertEquals(0.625, row.search().proxyScore());
            assertEquals(12.5, row.search().wallSeconds());
            assertEquals(3.25, row.search().deviceSeconds());
            assertEquals("eval-1", row.evaluationId());
            assertEquals(T0.plusSeconds(90).toString(), row.attempt().finishedAt());
        }
    }

    @Test
    void completeRunByTheWrongOwnerThrowsAndChangesNothing() {
        try (Store store = Store.open(db())) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            store.runs().claim("r1", "owner-a", "host");

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> store.runs().complete("r1", "owner-b", new RunCompletion("g", null, 1, 1, "eval-1")));

            assertTrue(e.getMessage().contains("r1") && e.getMessage().contains("owner-b"), e.getMessage());
            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(RunStatus.RUNNING, row.status());
            assertNull(row.search().genotype());
            assertNull(row.evaluationId());
        }
    }

    @Test
    void failRunStoresStatusErrorClassAndMessage() {
        try (Store store = Store.open(db())) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            store.runs().claim("r1", "owner-a", "host");

            store.runs().fail("r1", "owner-a", RunStatus.DIVERGED, new ArithmeticException("loss is NaN at epoch 7"));

            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(RunStatus.DIVERGED, row.status());
            assertEquals("java.lang.ArithmeticException", row.failure().errorClass());
            assertEquals("loss is NaN at epoch 7", row.failure().errorMessage());
            assertEquals("java.lang.ArithmeticException: loss is NaN at epoch 7", row.failure().summary());
            assertTrue(row.attempt().finishedAt() != null);
        }
    }

    @Test
    void failRunRejectsAStatusThatIsNotAFailure() {
        try (Store store = Store.open(db())) {
            store.runs().insertIfAbsent("r1", "m", SPEC);
            store.runs().claim("r1", "owner-a", "host");

            for (RunStatus status : List.of(RunStatus.DONE, RunStatus.PENDING, RunStatus.RUNNING, RunStatus.SKIPPED)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> store.runs().fail("r1", "owner-a", status, new RuntimeException("x")));
                assertTrue(e.getMessage().contains(status.stored()), e.getMessage());
            }
            RunRow row = store.runs().find("r1").orElseThrow();
            assertEquals(RunStatus.RUNNING, row.status());
            assertNull(row.failure().errorClass());
            assertNull(row.failure().summary(), "no error recorded");
        }
    }

    @Test
    void markStaleRunningInterruptsOnlyRunsWhoseHeartbeatIsOlderThanTheThreshold() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(db(), clock)) {
            store.runs().insertIfAbsent("stale", "m", SPEC);
            store.runs().insertIfAbsent("fresh", "m", SPEC);
            store.runs().insertIfAbsent("beating", "m", SPEC);
            store.runs().claim("stale", "owner-a", "host");
            store.runs().claim("beating", "owner-c", "host");
            clock.set(T0.plus(Duration.ofMinutes(50)));
            store.runs().claim("fresh", "owner-b", "host");
            store.runs().heartbeat("beating", "owner-c");
            clock.set(T0.plus(Duration.ofMinutes(60)));

            assertEquals(1, store.runs().markStaleRunning(Duration.ofMinutes(30)));

            assertEquals(RunStatus.INTERRUPTED, store.runs().find("stale").orElseThrow().status());
            assertEquals(RunStatus.RUNNING, store.runs().find("fresh").orElseThrow().status());
            assertEquals(RunStatus.RUNNING, store.runs().find("beating").orElseThrow().status());
        }
    }

    @Test
    void markStaleRunningComparesInstantsNotTheirText() {
        // Instant.toString() drops a zero fraction, so "12:00:00Z" sorts after "12:00:00.500Z" as text
        // although it is earlier; the staleness test must compare times, not strings.
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(db(), clock)) {
            store.runs().insertIfAbsent("old", "m", SPEC);
            store.runs().insertIfAbsent("new", "m", SPEC);
            store.runs().claim("old", "owner-a", "host");
            clock.set(T0.plusMillis(1500));
            store.runs().claim("new", "owner-b", "host");
            clock.set(T0.plusMillis(1000 + 60_000));

            // cutoff = T0 + 1 s exactly: "old" (T0) is older, "new" (T0 + 1.5 s) is younger.
            assertEquals(1, store.runs().markStaleRunning(Duration.ofMinutes(1)));

            assertEquals(RunStatus.INTERRUPTED, store.runs().find("old").orElseThrow().status());
            assertEquals(RunStatus.RUNNING, store.runs().find("new").orElseThrow().status());
        }
    }

    @Test
    void resetFailedReturnsFailuresToPendingAndLeavesDoneRunsAlone() {
        try (Store store = Store.open(db())) {
            for (String id : List.of("diverged", "error", "oom", "done", "running", "pending")) {
                store.runs().insertIfAbsent(id, "m", SPEC);
            }
            store.runs().insertIfAbsent("other-matrix-error", "n", SPEC);
            for (String id : List.of("diverged", "error", "oom", "done", "running", "other-matrix-error")) {
                store.runs().claim(id, "owner", "host");
            }
            store.runs().fail("diverged", "owner", RunStatus.DIVERGED, new ArithmeticException("nan"));
            store.runs().fail("error", "owner", RunStatus.ERROR, new IllegalStateException("bug"));
            store.runs().fail("oom", "owner", RunStatus.OUT_OF_MEMORY, new OutOfMemoryError("heap"));
            store.runs().fail("other-matrix-error", "owner", RunStatus.ERROR, new IllegalStateException("bug"));
            store.runs().complete("done", "owner", new RunCompletion("g", null, 1, 1, null));

            assertEquals(3, store.runs().resetFailed("m"));

            for (String id : List.of("diverged", "error", "oom", "pending")) {
                assertEquals(RunStatus.PENDING, store.runs().find(id).orElseThrow().status(), id);
            }
            assertEquals(RunStatus.DONE, store.runs().find("done").orElseThrow().status());
            assertEquals(RunStatus.RUNNING, store.runs().find("running").orElseThrow().status());
            assertEquals(RunStatus.ERROR, store.runs().find("other-matrix-error").orElseThrow().status());

            assertEquals(1, store.runs().resetFailed(null));
            assertEquals(RunStatus.PENDING, store.runs().find("other-matrix-error").orElseThrow().status());
        }
    }

    // ---- epochs, counts, matrices, environment ----

    @Test
    void appendEpochReadsBackInEpochOrderWithNanStoredAsNull() throws SQLException {
        try (Store store = Store.open(db())) {
            store.epochs().append("eval-1", "final", 10, Map.of("loss", 0.10, "acc", 0.91));
            store.epochs().append("eval-1", "final", 2, Map.of("loss", 0.50, "acc", 0.70));
            store.epochs().append("eval-1", "final", 9, Map.of("loss", Double.NaN, "acc", 0.88));
            store.epochs().append("eval-2", "final", 0, Map.of("loss", 9.0));

            List<EpochRow> rows = store.epochs().of("eval-1");

            assertEquals(List.of(
                    new EpochRow("eval-1", "final", 2, "acc", 0.70),
                    new EpochRow("eval-1", "final", 2, "loss", 0.50),
                    new EpochRow("eval-1", "final", 9, "acc", 0.88),
                    new EpochRow("eval-1", "final", 9, "loss", Double.NaN),
                    new EpochRow("eval-1", "final", 10, "acc", 0.91),
                    new EpochRow("eval-1", "final", 10, "loss", 0.10)), rows);
            assertTrue(Double.isNaN(rows.get(3).value()));
        }
        assertEquals(1, rawLong("SELECT count(*) FROM epochs WHERE owner_id = 'eval-1' AND value IS NULL"));
        assertEquals(1, rawLong("SELECT count(*) FROM epochs WHERE owner_id = 'eval-1' AND epoch = 9 AND metric = 'loss'"
                + " AND value IS NULL"));
    }

    @Test
    void appendEpochsWritesABatchInOneTransactionReplacingRowsItRepeats() throws SQLException {
        try (Store store = Store.open(db())) {
            store.epochs().append("eval-1", "final", 0, Map.of("loss", 5.0));
            List<EpochRow> batch = new java.util.ArrayList<>();
            for (int epoch = 0; epoch < 500; epoch++) {
                batch.add(new EpochRow("eval-1", "final", epoch, "loss", 1.0 / (epoch + 1)));
                batch.add(new EpochRow("eval-1", "final", epoch, "acc", epoch == 7 ? Double.NaN : epoch / 500.0));
            }
            store.epochs().appendAll(batch);
            store.epochs().appendAll(List.of());

            List<EpochRow> rows = store.epochs().of("eval-1");
            assertEquals(1000, rows.size());
            assertEquals(new EpochRow("eval-1", "final", 0, "loss", 1.0), rows.get(1));
        }
        assertEquals(1, rawLong("SELECT count(*) FROM epochs WHERE value IS NULL"));
    }

    @Test
    void statusCountsCountsRunsByStatusPerMatrix() {
        try (Store store = Store.open(db())) {
            for (String id : List.of("a", "b", "c", "d")) {
                store.runs().insertIfAbsent(id, "m", SPEC);
            }
            store.runs().insertIfAbsent("x", "n", SPEC);
            store.runs().claim("a", "o", "h");
            store.runs().claim("b", "o", "h");
            store.runs().complete("b", "o", new RunCompletion("g", null, 1, 1, null));
            store.runs().claim("x", "o", "h");

            assertEquals(Map.of("pending", 2, "running", 1, "done", 1), store.runs().statusCounts("m"));
            assertEquals(Map.of("pending", 2, "running", 2, "done", 1), store.runs().statusCounts(null));
            assertEquals(Map.of(), store.runs().statusCounts("absent"));
        }
    }

    @Test
    void upsertMatrixWithAnUnchangedDefinitionChangesNothingAndAChangedOneUpdates() throws SQLException {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(db(), clock)) {
            store.matrices().upsert("m", "{\"seeds\":[0]}");
            // A trigger counts UPDATE statements that really touch the row, which the row itself cannot show.
            rawExecute("CREATE TABLE matrix_updates(n INTEGER)",
                    "CREATE TRIGGER count_matrix_updates AFTER UPDATE ON matrices BEGIN INSERT INTO matrix_updates VALUES (1); END");
            clock.set(T0.plusSeconds(60));

            store.matrices().upsert("m", "{\"seeds\":[0]}");

            assertEquals(0, rawLong("SELECT count(*) FROM matrix_updates"));
            assertEquals("{\"seeds\":[0]}", store.matrices().definition("m").orElseThrow());
            assertEquals(T0.toString(), rawText("SELECT created_at FROM matrices WHERE name = 'm'"));

            store.matrices().upsert("m", "{\"seeds\":[0,1]}");

            assertEquals(1, rawLong("SELECT count(*) FROM matrix_updates"));
            assertEquals("{\"seeds\":[0,1]}", store.matrices().definition("m").orElseThrow());
            assertEquals(List.of("m"), store.matrices().names());
            assertTrue(store.matrices().definition("absent").isEmpty());
        }
    }

    private String rawText(String sql) throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    @Test
    void environmentRoundTripsSortedByKeyPerRun() {
        try (Store store = Store.open(db())) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("os", "Linux");
            env.put("djl", "0.33.0");
            env.put("java", "17.0.12");
            store.environment().save("r1", env);
            store.environment().save("r2", Map.of("os", "macOS"));

            Map<String, String> back = store.environment().of("r1");

            assertEquals(env, back);
            assertEquals(List.of("djl", "java", "os"), new ArrayList<>(back.keySet()));
            assertEquals(Map.of("os", "macOS"), store.environment().of("r2"));
            assertEquals(Map.of(), store.environment().of("absent"));
        }
    }

    @Test
    void crossEvaluationsRoundTripCountPerMatrixAndTravelInAMerge() {
        Path shard = dir.resolve("shard.db");
        try (Store store = Store.open(shard)) {
            store.runs().insertIfAbsent("run", "m", SPEC);
            store.runs().insertIfAbsent("base", "m", SPEC.replace("3}", "4}"));
            store.evaluations().saveCrossEvaluation("run", "base", "e1");
            store.evaluations().saveCrossEvaluation("base", "run", "e2");
            store.evaluations().saveCrossEvaluation("base", "run", "e3"); // a retry replaces the pair's evaluation
            assertEquals("e1", store.evaluations().crossEvaluation("run", "base").orElseThrow());
            assertEquals("e3", store.evaluations().crossEvaluation("base", "run").orElseThrow());
            assertTrue(store.evaluations().crossEvaluation("run", "other").isEmpty());
            assertEquals(2, store.evaluations().crossEvaluationCount("m"));
            assertEquals(0, store.evaluations().crossEvaluationCount("other"));
        }
        try (Store store = Store.open(db())) {
            store.mergeFrom(shard);
            assertEquals("e1", store.evaluations().crossEvaluation("run", "base").orElseThrow());
            assertEquals(2, store.evaluations().crossEvaluationCount("m"));
        }
    }
}
