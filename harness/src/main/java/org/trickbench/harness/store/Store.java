package org.trickbench.harness.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.trickbench.core.UserInputException;

/**
 * The results database: SQLite in WAL mode, so readers never block the runner and two runners can
 * share one file. Opening checks the file ({@code quick_check}) and brings its schema up to date; the
 * repositories, one per aggregate ({@link #runs()}, {@link #evaluations()}, {@link #epochs()},
 * {@link #environment()}, {@link #matrices()}), share its one connection. Every change is one
 * transaction, and all SQL of the project lives in this package, with parameterised statements.
 */
public final class Store implements AutoCloseable {
    private final Path file;
    private final Connection connection;
    private final Clock clock;
    private final Database db;
    private final Runs runs;
    private final Evaluations evaluations;
    private final Epochs epochs;
    private final RunEnvironments environment;
    private final Matrices matrices;

    private Store(Path file, Connection connection, Clock clock) {
        this.file = file;
        this.connection = connection;
        this.clock = clock;
        this.db = new Database(file, connection, clock);
        this.runs = new Runs(db);
        this.evaluations = new Evaluations(db);
        this.epochs = new Epochs(db);
        this.environment = new RunEnvironments(db);
        this.matrices = new Matrices(db);
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
                    throw Database.failure(file, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw Database.failure(file, e);
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
     * {@code PRAGMA quick_check} reads every page of the file (without cross-checking indexes against
     * tables), so a damaged page anywhere is found when the file is opened, not when a report or a run
     * first reads that page halfway through its work. An empty or new file passes.
     */
    private void requireIntact() {
        String first;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(1)")) {
            first = rs.next() ? rs.getString(1) : "ok";
        } catch (SQLException e) {
            throw Database.failure(file, e);
        }
        if (first != null && !first.equals("ok")) {
            throw new CorruptDatabaseException(file, "database disk image is malformed",
                    "quick_check: " + first.replace("*** in database main ***", "").replaceAll("\\s+", " ").strip());
        }
    }

    public Path file() {
        return file;
    }

    /** The runs and their status changes, with the matrices that list them. */
    public Runs runs() {
        return runs;
    }

    /** The final trainings and the cross-evaluations that point at them. */
    public Evaluations evaluations() {
        return evaluations;
    }

    /** The per-epoch metrics of searches and evaluations. */
    public Epochs epochs() {
        return epochs;
    }

    /** What each run ran on and with. */
    public RunEnvironments environment() {
        return environment;
    }

    /** The matrix definitions. */
    public Matrices matrices() {
        return matrices;
    }

    /**
     * Runs {@code work} as one transaction: every change it makes through this store's repositories is
     * committed together, or, when it throws, none is. A batch of runs is claimed and completed this way.
     */
    public void atomically(Runnable work) {
        db.inTransaction(c -> {
            work.run();
            return 0;
        });
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
            throw Database.failure(file, e);
        }
        if (version > Schema.latestVersion()) {
            throw new UserInputException("--db " + file + ": schema version " + version
                    + " is newer than this TrickBench understands (" + Schema.latestVersion() + "); use a newer TrickBench");
        }
        // Each step re-reads the version inside its immediate (write-locked) transaction: two processes
        // opening a new database at once would otherwise both run the first migration.
        boolean more = version < Schema.latestVersion();
        while (more) {
            more = db.inTransaction(c -> {
                int current;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                    current = rs.next() ? rs.getInt(1) : 0;
                }
                if (current >= Schema.latestVersion()) {
                    return false;
                }
                try (Statement s = c.createStatement()) {
                    for (String sql : Schema.MIGRATIONS.get(current)) {
                        s.execute(sql);
                    }
                    s.execute("DELETE FROM schema_version");
                }
                db.update("INSERT INTO schema_version(version) VALUES (?)", current + 1);
                return current + 1 < Schema.latestVersion();
            });
        }
    }

    public int schemaVersion() {
        return db.queryOne("SELECT max(version) FROM schema_version", rs -> rs.getInt(1)).orElse(0);
    }

    public String journalMode() {
        return db.queryOne("PRAGMA journal_mode", rs -> rs.getString(1)).orElse("");
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
    public int importRuns(String matrix, String definitionJson, List<ImportedRun> imported) {
        String now = db.now();
        return db.inTransaction(c -> {
            int added = 0;
            db.update("INSERT OR IGNORE INTO matrices(name, definition, created_at) VALUES (?, ?, ?)", matrix,
                    definitionJson, now);
            for (ImportedRun r : imported) {
                int inserted = db.update("""
                        INSERT OR IGNORE INTO runs(id, matrix, spec, status, started_at, finished_at, genotype, proxy_score,
                          search_wall_s, evaluation_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", r.id(), matrix, r.spec(), RunStatus.DONE, now, now, r.genotype(),
                        r.proxyScore(), r.searchSeconds(), r.id());
                db.update("INSERT OR IGNORE INTO matrix_runs(matrix, run_id) VALUES (?, ?)", matrix, r.id());
                if (inserted == 1) {
                    // The other tool's final training, as an evaluation: no protocol or fidelity of ours.
                    db.update("""
                            INSERT OR IGNORE INTO evaluations(id, genotype, protocol_hash, dataset, seed, fidelity, status,
                              test_accuracy, epochs, wall_s, device_s, created_at)
                            VALUES (?, ?, 'import', ?, ?, 'import', ?, ?, 0, 0, NULL, ?)""", r.id(),
                            r.genotype() == null ? "" : r.genotype(), r.dataset(), r.seed(), RunStatus.DONE,
                            r.testAccuracy(), now);
                    for (Map.Entry<String, String> e : r.environment().entrySet()) {
                        environment.put(r.id(), e.getKey(), e.getValue());
                    }
                    added++;
                }
            }
            return added;
        });
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
        try (Statement attach = connection.createStatement()) {
            attach.execute("ATTACH DATABASE '" + other.toAbsolutePath().toString().replace("'", "''") + "' AS src");
        } catch (SQLException e) {
            throw Database.failure(other, e);
        }
        try {
            return db.inTransaction(c -> {
                List<String> conflicts = new ArrayList<>(db.queryList("""
                        SELECT 'run ' || r.id || ': genotype ' || r.genotype || ' here, ' || s.genotype || ' in source'
                        FROM runs r JOIN src.runs s ON s.id = r.id
                        WHERE r.status = ? AND s.status = ? AND r.genotype IS NOT s.genotype""",
                        rs -> rs.getString(1), RunStatus.DONE, RunStatus.DONE));
                conflicts.addAll(db.queryList("""
                        SELECT 'evaluation ' || e.id || ': test accuracy ' || e.test_accuracy || ' here, '
                               || s.test_accuracy || ' in source'
                        FROM evaluations e JOIN src.evaluations s ON s.id = e.id
                        WHERE e.status = ? AND s.status = ? AND e.test_accuracy IS NOT s.test_accuracy""",
                        rs -> rs.getString(1), RunStatus.DONE, RunStatus.DONE));
                db.update("INSERT OR IGNORE INTO matrices SELECT * FROM src.matrices");
                int runsCompleted = db.update("""
                        INSERT OR REPLACE INTO runs SELECT s.* FROM src.runs s JOIN runs r ON r.id = s.id
                        WHERE s.status = ? AND r.status <> ?""", RunStatus.DONE, RunStatus.DONE);
                int runsAdded = db.update("INSERT OR IGNORE INTO runs SELECT * FROM src.runs");
                db.update("INSERT OR IGNORE INTO matrix_runs SELECT * FROM src.matrix_runs");
                int evaluationsAdded = db.update("INSERT OR IGNORE INTO evaluations SELECT * FROM src.evaluations");
                db.update("""
                        INSERT OR REPLACE INTO evaluations SELECT s.* FROM src.evaluations s JOIN evaluations e ON e.id = s.id
                        WHERE s.status = ? AND e.status <> ?""", RunStatus.DONE, RunStatus.DONE);
                db.update("INSERT OR IGNORE INTO epochs SELECT * FROM src.epochs");
                db.update("INSERT OR IGNORE INTO environment SELECT * FROM src.environment");
                db.update("INSERT OR IGNORE INTO cross_evaluations SELECT * FROM src.cross_evaluations");
                return new MergeReport(runsAdded, runsCompleted, evaluationsAdded, conflicts);
            });
        } finally {
            try (Statement detach = connection.createStatement()) {
                detach.execute("DETACH DATABASE src");
            } catch (SQLException e) {
                throw new StoreException(other + ": cannot detach: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException(file + ": close failed: " + e.getMessage(), e);
        }
    }
}
