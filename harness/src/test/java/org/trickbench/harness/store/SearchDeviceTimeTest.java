package org.trickbench.harness.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search's device time is stored only where measured: NULL, not its wall time under another name. */
class SearchDeviceTimeTest {
    private static final String SPEC = "{\"algorithm\":{\"id\":\"random\",\"params\":{}},\"dataset\":\"fashion-mnist\",\"seed\":0}";

    @TempDir
    Path dir;

    @Test
    void anUnmeasuredSearchDeviceTimeIsStoredAndReadAsNull() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            for (String id : List.of("unmeasured", "measured")) {
                store.runs().insertIfAbsent(id, "m", SPEC);
                store.runs().claim(id, "owner", "host");
            }
            store.runs().complete("unmeasured", "owner", new RunCompletion("g", null, 12.5, null, null, null, null, null));
            store.runs().complete("measured", "owner", new RunCompletion("g", null, 12.5, 2.5, null));

            RunRow unmeasured = store.runs().find("unmeasured").orElseThrow();
            assertNull(unmeasured.search().deviceSeconds(), "not measured stays NULL, not 0");
            assertEquals(12.5, unmeasured.search().wallSeconds());
            assertEquals(2.5, store.runs().find("measured").orElseThrow().search().deviceSeconds());
        }
    }

    @Test
    void migratingToVersionSixForgetsTheWallTimeStoredAsSearchDeviceTime() throws SQLException {
        Path db = dir.resolve("r.db");
        // A version-5 file whose run holds its search's wall time in search_device_s, as version 5 wrote it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version(version INTEGER NOT NULL)");
            for (List<String> migration : Schema.MIGRATIONS.subList(0, 5)) {
                for (String sql : migration) {
                    s.execute(sql);
                }
            }
            s.execute("INSERT INTO schema_version VALUES (5)");
            s.execute("INSERT INTO runs(id, matrix, spec, status, genotype, search_wall_s, search_device_s)"
                    + " VALUES ('r', 'm', '" + SPEC + "', 'done', 'g', 7.5, 7.5)");
        }
        try (Store store = Store.open(db)) {
            RunRow run = store.runs().find("r").orElseThrow();
            assertEquals(7.5, run.search().wallSeconds(), "the wall time stays where it belongs");
            assertNull(run.search().deviceSeconds());
        }
    }
}
