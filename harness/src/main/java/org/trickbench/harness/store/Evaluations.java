package org.trickbench.harness.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The final trainings ({@code evaluations}), cached by id so that a genotype trained once under a
 * protocol is never trained again, and the cross-evaluations of search-side versus train-side
 * attribution ({@code cross_evaluations}), which point at them.
 */
public final class Evaluations {
    private final Database db;

    Evaluations(Database db) {
        this.db = db;
    }

    /** The evaluation of this id; none for a null id (a run not evaluated yet). */
    public Optional<EvaluationRow> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return db.queryOne("SELECT * FROM evaluations WHERE id = ?", Evaluations::row, id);
    }

    /** Stores an evaluation, replacing one of the same id. */
    public void save(EvaluationRow e) {
        db.inTransaction(c -> db.update("""
                INSERT OR REPLACE INTO evaluations(id, genotype, protocol_hash, dataset, seed, fidelity, status,
                  test_accuracy, train_accuracy, train_loss, params, flops, epochs, diverged_epoch, wall_s, device_s,
                  created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", e.id(), e.genotype(), e.protocolHash(),
                e.dataset(), e.seed(), e.fidelity(), e.status(), e.testAccuracy(), e.trainAccuracy(), e.trainLoss(),
                e.params(), e.flops(), e.epochs(), e.divergedEpoch(), e.wallSeconds(), e.deviceSeconds(), db.now()));
    }

    /** Records that {@code genotypeRun}'s genotype, trained under {@code protocolRun}'s protocol, is that evaluation. */
    public void saveCrossEvaluation(String genotypeRun, String protocolRun, String evaluationId) {
        db.inTransaction(c -> db.update("""
                INSERT OR REPLACE INTO cross_evaluations(genotype_run, protocol_run, evaluation_id) VALUES (?, ?, ?)""",
                genotypeRun, protocolRun, evaluationId));
    }

    /** The evaluation of {@code genotypeRun}'s genotype under {@code protocolRun}'s protocol, if one was recorded. */
    public Optional<String> crossEvaluation(String genotypeRun, String protocolRun) {
        return db.queryOne("SELECT evaluation_id FROM cross_evaluations WHERE genotype_run = ? AND protocol_run = ?",
                rs -> rs.getString(1), genotypeRun, protocolRun);
    }

    /** How many cross-evaluations involve runs of the matrix. */
    public int crossEvaluationCount(String matrix) {
        return db.queryOne("""
                SELECT count(*) FROM cross_evaluations x
                WHERE x.genotype_run IN (SELECT run_id FROM matrix_runs WHERE matrix = ?)""", rs -> rs.getInt(1), matrix)
                .orElse(0);
    }

    private static EvaluationRow row(ResultSet rs) throws SQLException {
        return new EvaluationRow(rs.getString("id"), rs.getString("genotype"), rs.getString("protocol_hash"),
                rs.getString("dataset"), rs.getLong("seed"), rs.getString("fidelity"),
                RunStatus.of(rs.getString("status")),
                Database.doubleOrNull(rs, "test_accuracy"), Database.doubleOrNull(rs, "train_accuracy"),
                Database.doubleOrNull(rs, "train_loss"), Database.longOrNull(rs, "params"),
                Database.longOrNull(rs, "flops"), rs.getInt("epochs"), Database.intOrNull(rs, "diverged_epoch"),
                rs.getDouble("wall_s"), Database.doubleOrNull(rs, "device_s"));
    }
}
