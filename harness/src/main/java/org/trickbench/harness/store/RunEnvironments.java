package org.trickbench.harness.store;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each run ran on and with ({@code environment}): versions, host, device, data split, and for an
 * imported run where it came from; key-value pairs by run id.
 */
public final class RunEnvironments {
    private final Database db;

    RunEnvironments(Database db) {
        this.db = db;
    }

    /** Stores a run's pairs in one transaction, replacing the values of keys already stored. */
    public void save(String runId, Map<String, String> env) {
        db.inTransaction(c -> {
            int changed = 0;
            for (Map.Entry<String, String> e : env.entrySet()) {
                changed += put(runId, e.getKey(), e.getValue());
            }
            return changed;
        });
    }

    /** A run's pairs, by key. */
    public Map<String, String> of(String runId) {
        Map<String, String> env = new TreeMap<>();
        db.queryList("SELECT key, value FROM environment WHERE run_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, runId).forEach(kv -> env.put(kv[0], kv[1]));
        return env;
    }

    /** One pair, inside a transaction the caller holds (an import stores a run's provenance with the run). */
    int put(String runId, String key, String value) throws SQLException {
        return db.update("INSERT OR REPLACE INTO environment(run_id, key, value) VALUES (?, ?, ?)", runId, key, value);
    }
}
