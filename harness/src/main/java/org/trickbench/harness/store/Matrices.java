package org.trickbench.harness.store;

import java.util.List;
import java.util.Optional;

/** The matrix definitions ({@code matrices}), by name, as canonical JSON. */
public final class Matrices {
    private final Database db;

    Matrices(Database db) {
        this.db = db;
    }

    /** Records a matrix definition; an unchanged definition leaves the row (and its timestamp) alone. */
    public void upsert(String name, String definitionJson) {
        db.inTransaction(c -> db.update("""
                INSERT INTO matrices(name, definition, created_at) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET definition = excluded.definition
                WHERE matrices.definition <> excluded.definition""", name, definitionJson, db.now()));
    }

    /** The stored matrices' names, in order. */
    public List<String> names() {
        return db.queryList("SELECT name FROM matrices ORDER BY name", rs -> rs.getString(1));
    }

    /** A matrix's definition, if stored. */
    public Optional<String> definition(String name) {
        return db.queryOne("SELECT definition FROM matrices WHERE name = ?", rs -> rs.getString(1), name);
    }
}
