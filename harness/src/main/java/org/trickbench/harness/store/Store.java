package org.trickbench.harness.store;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.trickbench.core.UserInputException;

/**
 * The results database: SQLite in WAL mode, so readers never block the runner and two runners can
 * share one file. Every status change is one transaction; a claim is an immediate transaction that
 * only succeeds on a pending or interrupted run, so two processes never run the same run. All SQL of
 * the project lives in this package, with parameterised statements.
 */
public final class Store implements AutoCloseable {
    private static final String FAILED = RunStatus.sqlList(RunStatus.FAILED);
    private static final Pattern SQLITE_MESSAGE = Pattern.compile("\\(([^()\\n]+)\\)\\s*$");

    private final Path file;
    private final Connection connection;
    private final Clock clock;

    private Store(Path file, Connection connection, Clock clock) {
        this.file = file;
        this.connection = connection;
        this.clock = clock;
    }

    public static Store open(Path file) {
        return open(file, Clock.systemUTC());
    }

    public static Store open(Path file, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UserInputException("--db " + file + ": cannot create its folder: " + e.getMessage());
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection = null;
        // Opening applies the pragmas (WAL among them) before the busy timeout can act, so a process that
        // opens a new file while another is creating it may see SQLITE_BUSY at once: wait and try again.
        for (int attempt = 0; connection == null; attempt++) {
            try {
                connection = config.createConnection("jdbc:sqlite:" + file);
            } catch (SQLException e) {
                boolean busy = e.getErrorCode() == SQLiteErrorCode.SQLITE_BUSY.code
                        || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
                if (!busy || attempt >= 200) {
                    throw failure(file, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure(file, e);
                }
            }
        }
        Store store = new Store(file, connection, clock);
        try {
            store.requireIntact();
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * SQLite's primary result codes for a damaged file: SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), from
     * https://www.sqlite.org/rescode.html; the low byte of an extended code is its primary code.
     */
    private static boolean damaged(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        String message = String.valueOf(e.getMessage());
        return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code
                || message.contains("[SQLITE_CORRUPT") || message.contains("[SQLITE_NOTADB");
    }

    /** A damaged file as the user's problem (exit 2, with how to recover); anything else as a store failure. */
    private static RuntimeException failure(Path file, SQLException e) {
        if (damaged(e)) {
            return new CorruptDatabaseException(file, sqliteReason(e), null);
        }
        return new StoreException(file + ": " + e.getMessage(), e);
    }

    /**
     * SQLite's own message: the driver writes {@code [SQLITE_CORRUPT] The database disk image is malformed
     * (database disk image is malformed)}, the last parentheses holding what SQLite said.
     */
    private static String sqliteReason(SQLException e) {
        Matcher m = SQLITE_MESSAGE.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            return m.group(1).strip();
        }
        return (e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_NOTADB.code ? "file is not a database"
                : "database disk image is malformed";
    }

    /**
     * {@code PRAGMA quick_check} reads every page of the file (without cross-checking indexes against
     * tables), so a damaged page anywhere is found when the file is opened, not when a report or a run
     * first reads that page halfway through its work. An empty or new file passes.
     */
    private void requireIntact() {
        String first;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(1)")) {
            first = rs.next() ? rs.getString(1) : "ok";
        } catch (SQLException e) {
            throw failure(file, e);
        }
        if (first != null && !first.equals("ok")) {
            throw new CorruptDatabaseException(file, "database disk image is malformed",
                    "quick_check: " + first.replace("*** in database main ***", "").replaceAll("\\s+", " ").strip());
        }
    }

    public Path file() {
        return file;
    }

    // ---- schema ----

    private void migrate() {
        int version;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw failure(file, e);
        }
        if (version > Schema.latestVersion()) {
            throw new UserInputException("--db " + file + ": schema version " + version
                    + " is newer than this TrickBench understands (" + Schema.latestVersion() + "); use a newer TrickBench");
        }
        // Each step re-reads the version inside its immediate (write-locked) transaction: two processes
        // opening a new database at once would otherwise both run the first migration.
        boolean[] more = {version < Schema.latestVersion()};
        while (more[0]) {
            transaction(c -> {
                int current;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                    current = rs.next() ? rs.getInt(1) : 0;
                }
                if (current >= Schema.latestVersion()) {
                    more[0] = false;
                    return;
                }
                try (Statement s = c.createStatement()) {
                    for (String sql : Schema.MIGRATIONS.get(current)) {
                        s.execute(sql);
                    }
                    s.execute("DELETE FROM schema_version");
                }
                update("INSERT INTO schema_version(version) VALUES (?)", current + 1);
                more[0] = current + 1 < Schema.latestVersion();
            });
        }
    }

    public int schemaVersion() {
        return queryOne("SELECT max(version) FROM schema_version", rs -> rs.getInt(1)).orElse(0);
    }

    public String journalMode() {
        return queryOne("PRAGMA journal_mode", rs -> rs.getString(1)).orElse("");
    }

    // ---- matrices ----

    /** Records a matrix definition; an unchanged definition leaves the row (and its timestamp) alone. */
    public void upsertMatrix(String name, String definitionJson) {
        transaction(c -> update("""
                INSERT INTO matrices(name, definition, created_at) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET definition = excluded.definition
                WHERE matrices.definition <> excluded.definition""", name, definitionJson, now()));
    }

    public List<String> matrixNames() {
        return queryList("SELECT name FROM matrices ORDER BY name", rs -> rs.getString(1));
    }

    public Optional<String> matrixDefinition(String name) {
        return queryOne("SELECT definition FROM matrices WHERE name = ?", rs -> rs.getString(1), name);
    }

    // ---- runs ----

    /**
     * Inserts a pending run unless its id exists, and lists it in the matrix either way; returns whether
     * the run was new. A run that another matrix already holds is shared, not duplicated.
     */
    public boolean insertRunIfAbsent(String id, String matrix, String specJson) {
        int[] inserted = new int[1];
        transaction(c -> {
            inserted[0] = update("INSERT OR IGNORE INTO runs(id, matrix, spec, status) VALUES (?, ?, ?, ?)", id,
                    matrix, specJson, RunStatus.PENDING);
            update("INSERT OR IGNORE INTO matrix_runs(matrix, run_id) VALUES (?, ?)", matrix, id);
        });
        return inserted[0] == 1;
    }

    public Optional<RunRow> run(String id) {
        return queryOne("SELECT * FROM runs WHERE id = ?", Store::runRow, id);
    }

    public List<RunRow> runs(String matrixOrNull) {
        return matrixOrNull == null
                ? queryList("SELECT * FROM runs ORDER BY id", Store::runRow)
                : queryList("SELECT r.* FROM runs r JOIN matrix_runs m ON m.run_id = r.id WHERE m.matrix = ? ORDER BY r.id",
                        Store::runRow, matrixOrNull);
    }

    /** The ids of the stored runs that start with {@code prefix}, in order. */
    public List<String> runIdsStartingWith(String prefix) {
        return queryList("SELECT id FROM runs WHERE substr(id, 1, length(?)) = ? ORDER BY id", rs -> rs.getString(1),
                prefix, prefix);
    }

    /** The matrices that list a run (a run shared by two matrices is listed by both), in order. */
    public List<String> matricesOf(String runId) {
        return queryList("SELECT matrix FROM matrix_runs WHERE run_id = ? ORDER BY matrix", rs -> rs.getString(1), runId);
    }

    /**
     * Takes a run for this owner: pending or interrupted → running, attempt + 1, in one immediate
     * transaction. Returns false when the run is done, failed or already running elsewhere.
     */
    public boolean claim(String id, String owner, String host) {
        int[] changed = new int[1];
        String now = now();
        transaction(c -> changed[0] = update("""
                UPDATE runs SET status = ?, attempt = attempt + 1, owner = ?, host = ?, started_at = ?,
                  heartbeat_at = ?, finished_at = NULL, error_class = NULL, error_message = NULL, error_trace = NULL
                WHERE id = ? AND status IN (?, ?)""", RunStatus.RUNNING, owner, host, now, now, id, RunStatus.PENDING,
                RunStatus.INTERRUPTED));
        return changed[0] == 1;
    }

    public void heartbeat(String id, String owner) {
        transaction(c -> update("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner = ? AND status = ?",
                now(), id, owner, RunStatus.RUNNING));
    }

    /**
     * Running rows whose owner stopped beating for longer than {@code olderThan} become interrupted. The
     * times are compared as times: {@code Instant.toString()} drops a zero fraction, so as text
     * {@code 12:00:01Z} sorts after {@code 12:00:01.500Z} and a live run could be taken from its owner.
     */
    public int markStaleRunning(Duration olderThan) {
        String cutoff = clock.instant().minus(olderThan).toString();
        int[] changed = new int[1];
        transaction(c -> changed[0] = update("""
                UPDATE runs SET status = ?
                WHERE status = ? AND julianday(heartbeat_at) < julianday(?)""", RunStatus.INTERRUPTED, RunStatus.RUNNING,
                cutoff));
        return changed[0];
    }

    /** A running row whose owner is known to be dead becomes interrupted, so the next runner takes it. */
    public boolean markInterrupted(String id, String owner) {
        int[] changed = new int[1];
        transaction(c -> changed[0] = update(
                "UPDATE runs SET status = ? WHERE id = ? AND owner = ? AND status = ?", RunStatus.INTERRUPTED, id, owner,
                RunStatus.RUNNING));
        return changed[0] == 1;
    }

    public void completeRun(String id, String owner, RunCompletion done) {
        transaction(c -> requireOwned(id, owner, update("""
                UPDATE runs SET status = ?, finished_at = ?, genotype = ?, proxy_score = ?, search_wall_s = ?,
                  search_device_s = ?, evaluation_id = ?, search_epochs = ?, search_evaluations = ?, search_stop = ?
                WHERE id = ? AND owner = ? AND status = ?""", RunStatus.DONE, now(), done.genotype(), done.proxyScore(),
                done.searchWallSeconds(), done.searchDeviceSeconds(), done.evaluationId(), done.searchEpochs(),
                done.searchEvaluations(), done.searchStop(), id, owner, RunStatus.RUNNING)));
    }

    /** Records a failure ({@code diverged}, {@code out-of-memory} or {@code error}) with class, message and trace. */
    public void failRun(String id, String owner, RunStatus status, Throwable error) {
        if (!RunStatus.FAILED.contains(status)) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        transaction(c -> requireOwned(id, owner, update("""
                UPDATE runs SET status = ?, finished_at = ?, error_class = ?, error_message = ?, error_trace = ?
                WHERE id = ? AND owner = ? AND status = ?""", status, now(), error.getClass().getName(),
                error.getMessage(), trace.toString(), id, owner, RunStatus.RUNNING)));
    }

    public void skipRun(String id, String reason) {
        transaction(c -> update("UPDATE runs SET status = ?, skip_reason = ? WHERE id = ?", RunStatus.SKIPPED, reason,
                id));
    }

    /** Failed runs back to pending, for a retry. */
    public int resetFailed(String matrixOrNull) {
        int[] changed = new int[1];
        transaction(c -> changed[0] = matrixOrNull == null
                ? update("UPDATE runs SET status = ? WHERE status IN " + FAILED, RunStatus.PENDING)
                : update("UPDATE runs SET status = ? WHERE status IN " + FAILED
                        + " AND id IN (SELECT run_id FROM matrix_runs WHERE matrix = ?)", RunStatus.PENDING, matrixOrNull));
        return changed[0];
    }

    public Map<String, Integer> statusCounts(String matrixOrNull) {
        Map<String, Integer> counts = new TreeMap<>();
        List<Object[]> rows = matrixOrNull == null
                ? queryList("SELECT status, count(*) FROM runs GROUP BY status", rs -> new Object[] {rs.getString(1), rs.getInt(2)})
                : queryList("SELECT r.status, count(*) FROM runs r JOIN matrix_runs m ON m.run_id = r.id"
                        + " WHERE m.matrix = ? GROUP BY r.status",
                        rs -> new Object[] {rs.getString(1), rs.getInt(2)}, matrixOrNull);
        rows.forEach(r -> counts.put((String) r[0], (Integer) r[1]));
        return counts;
    }

    // ---- evaluations and epochs ----

    public Optional<EvaluationRow> evaluation(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return queryOne("SELECT * FROM evaluations WHERE id = ?", Store::evaluationRow, id);
    }

    public void saveEvaluation(EvaluationRow e) {
        transaction(c -> update("""
                INSERT OR REPLACE INTO evaluations(id, genotype, protocol_hash, dataset, seed, fidelity, status,
                  test_accuracy, train_accuracy, train_loss, params, flops, epochs, diverged_epoch, wall_s, device_s,
                  created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", e.id(), e.genotype(), e.protocolHash(),
                e.dataset(), e.seed(), e.fidelity(), e.status(), e.testAccuracy(), e.trainAccuracy(), e.trainLoss(),
                e.params(), e.flops(), e.epochs(), e.divergedEpoch(), e.wallSeconds(), e.deviceSeconds(), now()));
    }

    /** One epoch's metrics in one transaction, as they happen; NaN and null are stored as NULL. */
    public void appendEpoch(String ownerId, String phase, int epoch, Map<String, Double> metrics) {
        List<EpochRow> rows = new ArrayList<>(metrics.size());
        metrics.forEach((metric, v) -> rows.add(new EpochRow(ownerId, phase, epoch, metric, v == null ? Double.NaN : v)));
        appendEpochs(rows);
    }

    /**
     * Any number of epoch rows in one transaction through one prepared statement, sent to SQLite as one
     * batch: the commit (a sync to disk) and the statement's preparation are paid once, not per row.
     * NaN is stored as NULL; a row already present for the same owner, phase, epoch and metric is replaced.
     */
    public void appendEpochs(List<EpochRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO epochs(owner_id, phase, epoch, metric, value) VALUES (?, ?, ?, ?, ?)")) {
                for (EpochRow r : rows) {
                    bind(ps, r.ownerId(), r.phase(), r.epoch(), r.metric(), Double.isFinite(r.value()) ? r.value() : null);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /**
     * Forgets an owner's epochs before it trains again (a retry), so a retry that stops earlier does not
     * leave the previous attempt's later epochs mixed into its curve.
     */
    public void clearEpochs(String ownerId) {
        transaction(c -> update("DELETE FROM epochs WHERE owner_id = ?", ownerId));
    }

    public List<EpochRow> epochs(String ownerId) {
        return queryList("SELECT * FROM epochs WHERE owner_id = ? ORDER BY phase, epoch, metric",
                rs -> new EpochRow(rs.getString("owner_id"), rs.getString("phase"), rs.getInt("epoch"),
                        rs.getString("metric"), rs.getObject("value") == null ? Double.NaN : rs.getDouble("value")),
                ownerId);
    }

    // ---- imported runs ----

    /**
     * A finished run from another tool: its spec (with {@code "source":"import"}), outcome and final
     * test accuracy, stored as a done run with an evaluation of the same id.
     *
     * @param genotype the found genotype, or null where the file gave none
     * @param environment provenance (file, line, what imported it), kept in {@code environment}
     */
    public record ImportedRun(String id, String spec, String dataset, long seed, String genotype, Double proxyScore,
            Double searchSeconds, double testAccuracy, Map<String, String> environment) {}

    /**
     * Stores imported runs in one transaction, listed in the matrix, and returns how many were new. A run
     * whose id is already stored is listed in the matrix and otherwise left alone, so importing a file
     * twice changes nothing. The matrix row is created with the definition given, never overwritten.
     */
    public int importRuns(String matrix, String definitionJson, List<ImportedRun> runs) {
        int[] added = new int[1];
        String now = now();
        transaction(c -> {
            update("INSERT OR IGNORE INTO matrices(name, definition, created_at) VALUES (?, ?, ?)", matrix,
                    definitionJson, now);
            for (ImportedRun r : runs) {
                int inserted = update("""
                        INSERT OR IGNORE INTO runs(id, matrix, spec, status, started_at, finished_at, genotype, proxy_score,
                          search_wall_s, evaluation_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", r.id(), matrix, r.spec(), RunStatus.DONE, now, now, r.genotype(),
                        r.proxyScore(), r.searchSeconds(), r.id());
                update("INSERT OR IGNORE INTO matrix_runs(matrix, run_id) VALUES (?, ?)", matrix, r.id());
                if (inserted == 1) {
                    // The other tool's final training, as an evaluation: no protocol or fidelity of ours.
                    update("""
                            INSERT OR IGNORE INTO evaluations(id, genotype, protocol_hash, dataset, seed, fidelity, status,
                              test_accuracy, epochs, wall_s, device_s, created_at)
                            VALUES (?, ?, 'import', ?, ?, 'import', 'done', ?, 0, 0, NULL, ?)""", r.id(),
                            r.genotype() == null ? "" : r.genotype(), r.dataset(), r.seed(), r.testAccuracy(), now);
                    for (Map.Entry<String, String> e : r.environment().entrySet()) {
                        update("INSERT OR REPLACE INTO environment(run_id, key, value) VALUES (?, ?, ?)", r.id(),
                                e.getKey(), e.getValue());
                    }
                    added[0]++;
                }
            }
        });
        return added[0];
    }

    // ---- cross-evaluations (search-side versus train-side attribution) ----

    /** Records that {@code genotypeRun}'s genotype, trained under {@code protocolRun}'s protocol, is that evaluation. */
    public void saveCrossEvaluation(String genotypeRun, String protocolRun, String evaluationId) {
        transaction(c -> update("""
                INSERT OR REPLACE INTO cross_evaluations(genotype_run, protocol_run, evaluation_id) VALUES (?, ?, ?)""",
                genotypeRun, protocolRun, evaluationId));
    }

    /** The evaluation of {@code genotypeRun}'s genotype under {@code protocolRun}'s protocol, if one was recorded. */
    public Optional<String> crossEvaluation(String genotypeRun, String protocolRun) {
        return queryOne("SELECT evaluation_id FROM cross_evaluations WHERE genotype_run = ? AND protocol_run = ?",
                rs -> rs.getString(1), genotypeRun, protocolRun);
    }

    /** How many cross-evaluations involve runs of the matrix. */
    public int crossEvaluationCount(String matrix) {
        return queryOne("""
                SELECT count(*) FROM cross_evaluations x
                WHERE x.genotype_run IN (SELECT run_id FROM matrix_runs WHERE matrix = ?)""", rs -> rs.getInt(1), matrix)
                .orElse(0);
    }

    // ---- merging shards ----

    /** What a merge did: rows added, and the run or evaluation ids whose two copies disagree. */
    public record MergeReport(int runsAdded, int runsCompleted, int evaluationsAdded, List<String> conflicts) {}

    /**
     * Unions another database into this one by run id. A run done in either copy is done here; a run
     * done in both with a different genotype, or an evaluation done in both with a different accuracy,
     * is reported as a conflict (evidence of non-determinism) and this copy is kept. Merging the same
     * file twice changes nothing the second time.
     */
    public MergeReport mergeFrom(Path other) {
        try (Store source = Store.open(other, clock)) {
            if (source.schemaVersion() != schemaVersion()) {
                throw new UserInputException(other + ": schema version " + source.schemaVersion() + " differs from "
                        + file + "'s " + schemaVersion());
            }
        }
        List<String> conflicts = new ArrayList<>();
        int[] counts = new int[3];
        try (Statement attach = connection.createStatement()) {
            attach.execute("ATTACH DATABASE '" + other.toAbsolutePath().toString().replace("'", "''") + "' AS src");
        } catch (SQLException e) {
            throw failure(other, e);
        }
        try {
            transaction(c -> {
                conflicts.addAll(queryList("""
                        SELECT 'run ' || r.id || ': genotype ' || r.genotype || ' here, ' || s.genotype || ' in source'
                        FROM runs r JOIN src.runs s ON s.id = r.id
                        WHERE r.status = ? AND s.status = ? AND r.genotype IS NOT s.genotype""",
                        rs -> rs.getString(1), RunStatus.DONE, RunStatus.DONE));
                conflicts.addAll(queryList("""
                        SELECT 'evaluation ' || e.id || ': test accuracy ' || e.test_accuracy || ' here, '
                               || s.test_accuracy || ' in source'
                        FROM evaluations e JOIN src.evaluations s ON s.id = e.id
                        WHERE e.status = 'done' AND s.status = 'done' AND e.test_accuracy IS NOT s.test_accuracy""",
                        rs -> rs.getString(1)));
                update("INSERT OR IGNORE INTO matrices SELECT * FROM src.matrices");
                counts[1] = update("""
                        INSERT OR REPLACE INTO runs SELECT s.* FROM src.runs s JOIN runs r ON r.id = s.id
                        WHERE s.status = ? AND r.status <> ?""", RunStatus.DONE, RunStatus.DONE);
                counts[0] = update("INSERT OR IGNORE INTO runs SELECT * FROM src.runs");
                update("INSERT OR IGNORE INTO matrix_runs SELECT * FROM src.matrix_runs");
                counts[2] = update("INSERT OR IGNORE INTO evaluations SELECT * FROM src.evaluations");
                update("""
                        INSERT OR REPLACE INTO evaluations SELECT s.* FROM src.evaluations s JOIN evaluations e ON e.id = s.id
                        WHERE s.status = 'done' AND e.status <> 'done'""");
                update("INSERT OR IGNORE INTO epochs SELECT * FROM src.epochs");
                update("INSERT OR IGNORE INTO environment SELECT * FROM src.environment");
                update("INSERT OR IGNORE INTO cross_evaluations SELECT * FROM src.cross_evaluations");
            });
        } finally {
            try (Statement detach = connection.createStatement()) {
                detach.execute("DETACH DATABASE src");
            } catch (SQLException e) {
                throw new StoreException(other + ": cannot detach: " + e.getMessage(), e);
            }
        }
        return new MergeReport(counts[0], counts[1], counts[2], conflicts);
    }

    // ---- environment ----

    public void saveEnvironment(String runId, Map<String, String> env) {
        transaction(c -> {
            for (Map.Entry<String, String> e : env.entrySet()) {
                update("INSERT OR REPLACE INTO environment(run_id, key, value) VALUES (?, ?, ?)", runId, e.getKey(),
                        e.getValue());
            }
        });
    }

    public Map<String, String> environment(String runId) {
        Map<String, String> env = new TreeMap<>();
        queryList("SELECT key, value FROM environment WHERE run_id = ?", rs -> new String[] {rs.getString(1), rs.getString(2)},
                runId).forEach(kv -> env.put(kv[0], kv[1]));
        return env;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException(file + ": close failed: " + e.getMessage(), e);
        }
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private synchronized void transaction(Work work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private void requireOwned(String id, String owner, int changed) {
        if (changed != 1) {
            throw new IllegalStateException("run " + id + " is not running under owner " + owner);
        }
    }

    private synchronized <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = queryList(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private synchronized <T> List<T> queryList(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                ps.setLong(i + 1, n);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a instanceof RunStatus status) {
                ps.setString(i + 1, status.stored());
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    private String now() {
        return Instant.now(clock).toString();
    }

    private static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static RunRow runRow(ResultSet rs) throws SQLException {
        return new RunRow(rs.getString("id"), rs.getString("matrix"), rs.getString("spec"), rs.getString("status"),
                rs.getInt("attempt"), rs.getString("shard"), rs.getString("host"), rs.getString("owner"),
                rs.getString("started_at"), rs.getString("finished_at"), rs.getString("genotype"),
                doubleOrNull(rs, "proxy_score"), doubleOrNull(rs, "search_wall_s"), doubleOrNull(rs, "search_device_s"),
                rs.getString("evaluation_id"), rs.getString("error_class"), rs.getString("error_message"),
                rs.getString("skip_reason"), intOrNull(rs, "search_epochs"), intOrNull(rs, "search_evaluations"),
                rs.getString("search_stop"));
    }

    private static EvaluationRow evaluationRow(ResultSet rs) throws SQLException {
        return new EvaluationRow(rs.getString("id"), rs.getString("genotype"), rs.getString("protocol_hash"),
                rs.getString("dataset"), rs.getLong("seed"), rs.getString("fidelity"), rs.getString("status"),
                doubleOrNull(rs, "test_accuracy"), doubleOrNull(rs, "train_accuracy"), doubleOrNull(rs, "train_loss"),
                longOrNull(rs, "params"), longOrNull(rs, "flops"), rs.getInt("epochs"), intOrNull(rs, "diverged_epoch"),
                rs.getDouble("wall_s"), doubleOrNull(rs, "device_s"));
    }
}
