package org.trickbench.harness.store;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The per-epoch metrics ({@code epochs}) of searches and evaluations, as curves by owner id and phase. */
public final class Epochs {
    private final Database db;

    Epochs(Database db) {
        this.db = db;
    }

    /** One epoch's metrics in one transaction, as they happen; NaN and null are stored as NULL. */
    public void append(String ownerId, String phase, int epoch, Map<String, Double> metrics) {
        List<EpochRow> rows = new ArrayList<>(metrics.size());
        metrics.forEach((metric, v) -> rows.add(new EpochRow(ownerId, phase, epoch, metric, v == null ? Double.NaN : v)));
        appendAll(rows);
    }

    /**
     * Any number of epoch rows in one transaction through one prepared statement, sent to SQLite as one
     * batch: the commit (a sync to disk) and the statement's preparation are paid once, not per row.
     * NaN is stored as NULL; a row already present for the same owner, phase, epoch and metric is replaced.
     */
    public void appendAll(List<EpochRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO epochs(owner_id, phase, epoch, metric, value) VALUES (?, ?, ?, ?, ?)")) {
                for (EpochRow r : rows) {
                    Database.bind(ps, r.ownerId(), r.phase(), r.epoch(), r.metric(),
                            Double.isFinite(r.value()) ? r.value() : null);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /**
     * Forgets an owner's epochs before it trains again (a retry), so a retry that stops earlier does not
     * leave the previous attempt's later epochs mixed into its curve.
     */
    public void clear(String ownerId) {
        db.inTransaction(c -> db.update("DELETE FROM epochs WHERE owner_id = ?", ownerId));
    }

    /** An owner's epochs, by phase, epoch and metric; a NULL value reads as NaN. */
    public List<EpochRow> of(String ownerId) {
        return db.queryList("SELECT * FROM epochs WHERE owner_id = ? ORDER BY phase, epoch, metric",
                rs -> new EpochRow(rs.getString("owner_id"), rs.getString("phase"), rs.getInt("epoch"),
                        rs.getString("metric"), rs.getObject("value") == null ? Double.NaN : rs.getDouble("value")),
                ownerId);
    }
}
