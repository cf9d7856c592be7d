package org.trickbench.harness.store;

import java.util.List;

/**
 * The schema as an ordered list of migrations: entry i brings a database from version i to i+1. A new
 * column or table is a new entry, never an edit of an old one, so every existing file can be upgraded.
 */
final class Schema {
    private Schema() {}

    // The statements are literal text, never built from RunStatus: a migration must stay what it was when
    // files were written with it. RunStatusTest checks that the CHECK list below names exactly RunStatus's words.
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE matrices(
              name TEXT PRIMARY KEY,
              definition TEXT NOT NULL,
              created_at TEXT NOT NULL)""",
            """
            CREATE TABLE runs(
              id TEXT PRIMARY KEY,
              matrix TEXT NOT NULL,
              spec TEXT NOT NULL,
              status TEXT NOT NULL CHECK(status IN ('pending','running','done','diverged','out-of-memory','error',
                                                    'interrupted','skipped')),
              attempt INTEGER NOT NULL DEFAULT 0,
              shard TEXT, host TEXT, owner TEXT, heartbeat_at TEXT, started_at TEXT, finished_at TEXT,
              genotype TEXT, proxy_score REAL, search_wall_s REAL, search_device_s REAL, evaluation_id TEXT,
              error_class TEXT, error_message TEXT, error_trace TEXT, skip_reason TEXT)""",
            "CREATE INDEX runs_by_matrix ON runs(matrix, status)",
            """
            CREATE TABLE evaluations(
              id TEXT PRIMARY KEY,
              genotype TEXT NOT NULL,
              protocol_hash TEXT NOT NULL,
              dataset TEXT NOT NULL,
              seed INTEGER NOT NULL,
              fidelity TEXT NOT NULL,
              status TEXT NOT NULL,
              test_accuracy REAL, train_accuracy REAL, train_loss REAL, params INTEGER, flops INTEGER,
              epochs INTEGER, diverged_epoch INTEGER, wall_s REAL, device_s REAL,
              created_at TEXT NOT NULL)""",
            """
            CREATE TABLE epochs(
              owner_id TEXT NOT NULL,
              phase TEXT NOT NULL,
              epoch INTEGER NOT NULL,
              metric TEXT NOT NULL,
              value REAL,
              PRIMARY KEY(owner_id, phase, epoch, metric))""",
            """
            CREATE TABLE environment(
              run_id TEXT NOT NULL,
              key TEXT NOT NULL,
              value TEXT,
              PRIMARY KEY(run_id, key))"""),
            // Version 2: a run belongs to every matrix that lists it. Run ids are spec hashes, so the
            // same spec in two matrices is one run, trained once; runs.matrix keeps the first matrix.
            List.of(
                    """
                    CREATE TABLE matrix_runs(
                      matrix TEXT NOT NULL,
                      run_id TEXT NOT NULL,
                      PRIMARY KEY(matrix, run_id))""",
                    "INSERT OR IGNORE INTO matrix_runs(matrix, run_id) SELECT matrix, id FROM runs"),
            // Version 3: the cross-evaluations of search-side versus train-side attribution. A row says that
            // the genotype genotype_run found was trained under protocol_run's final protocol and train-phase
            // tricks; the evaluation itself is an ordinary, cached evaluations row.
            List.of(
                    """
                    CREATE TABLE cross_evaluations(
                      genotype_run TEXT NOT NULL,
                      protocol_run TEXT NOT NULL,
                      evaluation_id TEXT NOT NULL,
                      PRIMARY KEY(genotype_run, protocol_run))"""),
            // Version 4: what a search spent of its budget and why it ended (BudgetUse); NULL for runs
            // finished before it was recorded.
            List.of(
                    "ALTER TABLE runs ADD COLUMN search_epochs INTEGER",
                    "ALTER TABLE runs ADD COLUMN search_evaluations INTEGER",
                    "ALTER TABLE runs ADD COLUMN search_stop TEXT"),
            // Version 5: evaluations.device_s is NULL, not measured. It held the training's wall time, which
            // wall_s keeps; nothing measures device time, and a wall time under its name would pass for one.
            List.of("UPDATE evaluations SET device_s = NULL"),
            // Version 6: runs.search_device_s is NULL, not measured, for the same reason: it held the search's
            // wall time, which search_wall_s keeps.
            List.of("UPDATE runs SET search_device_s = NULL"));

    static int latestVersion() {
        return MIGRATIONS.size();
    }
}
