package org.trickbench.harness.store;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The runs of the database ({@code runs}, and {@code matrix_runs}, which lists them in matrices) and
 * their life: pending → running (a claim) → done, failed, interrupted or skipped. Every status change is
 * one transaction; a claim only succeeds on a pending or interrupted run, so two processes never run the
 * same run.
 */
public final class Runs {
    private static final String FAILED = RunStatus.sqlList(RunStatus.FAILED);

    private final Database db;

    Runs(Database db) {
        this.db = db;
    }

    /**
     * Inserts a pending run unless its id exists, and lists it in the matrix either way; returns whether
     * the run was new. A run that another matrix already holds is shared, not duplicated.
     */
    public boolean insertIfAbsent(String id, String matrix, String specJson) {
        return db.inTransaction(c -> {
            int inserted = db.update("INSERT OR IGNORE INTO runs(id, matrix, spec, status) VALUES (?, ?, ?, ?)", id,
                    matrix, specJson, RunStatus.PENDING);
            db.update("INSERT OR IGNORE INTO matrix_runs(matrix, run_id) VALUES (?, ?)", matrix, id);
            return inserted == 1;
        });
    }

    /** The run of this id, if stored. */
    public Optional<RunRow> find(String id) {
        return db.queryOne("SELECT * FROM runs WHERE id = ?", Runs::row, id);
    }

    /** The runs a matrix lists, or every run for null, in id order. */
    public List<RunRow> list(String matrixOrNull) {
        return matrixOrNull == null
                ? db.queryList("SELECT * FROM runs ORDER BY id", Runs::row)
                : db.queryList("SELECT r.* FROM runs r JOIN matrix_runs m ON m.run_id = r.id WHERE m.matrix = ? ORDER BY r.id",
                        Runs::row, matrixOrNull);
    }

    /** The ids of the stored runs that start with {@code prefix}, in order. */
    public List<String> idsStartingWith(String prefix) {
        return db.queryList("SELECT id FROM runs WHERE substr(id, 1, length(?)) = ? ORDER BY id", rs -> rs.getString(1),
                prefix, prefix);
    }

    /** The matrices that list a run (a run shared by two matrices is listed by both), in order. */
    public List<String> matricesOf(String runId) {
        return db.queryList("SELECT matrix FROM matrix_runs WHERE run_id = ? ORDER BY matrix", rs -> rs.getString(1),
                runId);
    }

    /**
     * Takes a run for this owner: pending or interrupted → running, attempt + 1, in one immediate
     * transaction. Returns false when the run is done, failed or already running elsewhere.
     */
    public boolean claim(String id, String owner, String host) {
        String now = db.now();
        return db.inTransaction(c -> db.update("""
                UPDATE runs SET status = ?, attempt = attempt + 1, owner = ?, host = ?, started_at = ?,
                  heartbeat_at = ?, finished_at = NULL, error_class = NULL, error_message = NULL, error_trace = NULL
                WHERE id = ? AND status IN (?, ?)""", RunStatus.RUNNING, owner, host, now, now, id, RunStatus.PENDING,
                RunStatus.INTERRUPTED)) == 1;
    }

    /** The owner of a running run is alive: its heartbeat is now. */
    public void heartbeat(String id, String owner) {
        db.inTransaction(c -> db.update("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner = ? AND status = ?",
                db.now(), id, owner, RunStatus.RUNNING));
    }

    /**
     * Running rows whose owner stopped beating for longer than {@code olderThan} become interrupted. The
     * times are compared as times: {@code Instant.toString()} drops a zero fraction, so as text
     * {@code 12:00:01Z} sorts after {@code 12:00:01.500Z} and a live run could be taken from its owner.
     */
    public int markStaleRunning(Duration olderThan) {
        String cutoff = db.instant().minus(olderThan).toString();
        return db.inTransaction(c -> db.update("""
                UPDATE runs SET status = ?
                WHERE status = ? AND julianday(heartbeat_at) < julianday(?)""", RunStatus.INTERRUPTED, RunStatus.RUNNING,
                cutoff));
    }

    /** A running row whose owner is known to be dead becomes interrupted, so the next runner takes it. */
    public boolean markInterrupted(String id, String owner) {
        return db.inTransaction(c -> db.update("UPDATE runs SET status = ? WHERE id = ? AND owner = ? AND status = ?",
                RunStatus.INTERRUPTED, id, owner, RunStatus.RUNNING)) == 1;
    }

    /** A running run of this owner is done, with what it found and spent. */
    public void complete(String id, String owner, RunCompletion done) {
        updateOwned(id, owner, """
                UPDATE runs SET status = ?, finished_at = ?, genotype = ?, proxy_score = ?, search_wall_s = ?,
                  search_device_s = ?, evaluation_id = ?, search_epochs = ?, search_evaluations = ?, search_stop = ?
                WHERE id = ? AND owner = ? AND status = ?""", RunStatus.DONE, db.now(), done.genotype(), done.proxyScore(),
                done.searchWallSeconds(), done.searchDeviceSeconds(), done.evaluationId(), done.searchEpochs(),
                done.searchEvaluations(), done.searchStop(), id, owner, RunStatus.RUNNING);
    }

    /** Records a failure ({@code diverged}, {@code out-of-memory} or {@code error}) with class, message and trace. */
    public void fail(String id, String owner, RunStatus status, Throwable error) {
        if (!RunStatus.FAILED.contains(status)) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        updateOwned(id, owner, """
                UPDATE runs SET status = ?, finished_at = ?, error_class = ?, error_message = ?, error_trace = ?
                WHERE id = ? AND owner = ? AND status = ?""", status, db.now(), error.getClass().getName(),
                error.getMessage(), trace.toString(), id, owner, RunStatus.RUNNING);
    }

    /** A run that will not train (its tricks do not apply to its algorithm) is skipped, with why. */
    public void skip(String id, String reason) {
        db.inTransaction(c -> db.update("UPDATE runs SET status = ?, skip_reason = ? WHERE id = ?", RunStatus.SKIPPED,
                reason, id));
    }

    /** Failed runs back to pending, for a retry; returns how many. */
    public int resetFailed(String matrixOrNull) {
        return db.inTransaction(c -> matrixOrNull == null
                ? db.update("UPDATE runs SET status = ? WHERE status IN " + FAILED, RunStatus.PENDING)
                : db.update("UPDATE runs SET status = ? WHERE status IN " + FAILED
                        + " AND id IN (SELECT run_id FROM matrix_runs WHERE matrix = ?)", RunStatus.PENDING, matrixOrNull));
    }

    /** How many runs of a matrix (or of all, for null) have each status, by stored word in order. */
    public Map<String, Integer> statusCounts(String matrixOrNull) {
        Map<String, Integer> counts = new TreeMap<>();
        List<Object[]> rows = matrixOrNull == null
                ? db.queryList("SELECT status, count(*) FROM runs GROUP BY status",
                        rs -> new Object[] {rs.getString(1), rs.getInt(2)})
                : db.queryList("SELECT r.status, count(*) FROM runs r JOIN matrix_runs m ON m.run_id = r.id"
                        + " WHERE m.matrix = ? GROUP BY r.status",
                        rs -> new Object[] {rs.getString(1), rs.getInt(2)}, matrixOrNull);
        rows.forEach(r -> counts.put((String) r[0], (Integer) r[1]));
        return counts;
    }

    /** An update of a run that must be running under {@code owner}; otherwise nothing changes and it throws. */
    private void updateOwned(String id, String owner, String sql, Object... args) {
        db.inTransaction(c -> {
            int changed = db.update(sql, args);
            if (changed != 1) {
                throw new IllegalStateException("run " + id + " is not running under owner " + owner);
            }
            return changed;
        });
    }

    private static RunRow row(ResultSet rs) throws SQLException {
        return new RunRow(rs.getString("id"), rs.getString("matrix"), rs.getString("spec"),
                RunStatus.of(rs.getString("status")),
                new RunRow.Attempt(rs.getInt("attempt"), rs.getString("shard"), rs.getString("host"),
                        rs.getString("owner"), rs.getString("started_at"), rs.getString("finished_at")),
                new RunRow.Search(rs.getString("genotype"), Database.doubleOrNull(rs, "proxy_score"),
                        Database.doubleOrNull(rs, "search_wall_s"), Database.doubleOrNull(rs, "search_device_s"),
                        Database.intOrNull(rs, "search_epochs"), Database.intOrNull(rs, "search_evaluations"),
                        rs.getString("search_stop")),
                rs.getString("evaluation_id"),
                new RunRow.Failure(rs.getString("error_class"), rs.getString("error_message")),
                rs.getString("skip_reason"));
    }
}
