package org.trickbench.harness.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStatusTest {
    private static final Pattern CHECK = Pattern.compile("CHECK\\s*\\(\\s*status\\s+IN\\s*\\(([^)]*)\\)\\s*\\)");

    /** The words every database written so far holds: changing one would strand its runs. */
    @Test
    void storedWordsAreTheDatabasesOwn() {
        assertEquals(List.of("pending", "running", "done", "diverged", "out-of-memory", "error", "interrupted", "skipped"),
                Arrays.stream(RunStatus.values()).map(RunStatus::stored).toList());
        assertEquals(Set.of(RunStatus.DIVERGED, RunStatus.OUT_OF_MEMORY, RunStatus.ERROR), RunStatus.FAILED);
    }

    @Test
    void everyStatusRoundTripsThroughItsStoredWordAndThroughTheStore(@TempDir Path dir) {
        try (Store store = Store.open(dir.resolve("results.db"))) {
            for (RunStatus s : RunStatus.values()) {
                assertSame(s, RunStatus.of(s.stored()));
                assertTrue(s.is(s.stored()));
                String id = s.stored();
                store.runs().insertIfAbsent(id, "m", "{}");
                if (s != RunStatus.PENDING && s != RunStatus.SKIPPED) {
                    assertTrue(store.runs().claim(id, "owner", "host"));
                }
                switch (s) {
                    case DONE -> store.runs().complete(id, "owner", new RunCompletion("g", null, 1, 1, "e"));
                    case DIVERGED, OUT_OF_MEMORY, ERROR -> store.runs().fail(id, "owner", s, new RuntimeException("x"));
                    case INTERRUPTED -> assertTrue(store.runs().markInterrupted(id, "owner"));
                    case SKIPPED -> store.runs().skip(id, "not applicable");
                    case PENDING, RUNNING -> { }
                }
                assertSame(s, store.runs().find(id).orElseThrow().status(), id);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunStatus.of("crashed"));
        assertTrue(e.getMessage().contains("'crashed'"), e.getMessage());
    }

    /** The CHECK constraint of runs.status, as the migrations write it and as SQLite holds it, admits exactly these. */
    @Test
    void theSchemasCheckListsExactlyTheStatuses(@TempDir Path dir) throws SQLException {
        Set<String> expected = new LinkedHashSet<>(Arrays.stream(RunStatus.values()).map(RunStatus::stored).toList());
        String createRuns = Schema.MIGRATIONS.stream().flatMap(List::stream)
                .filter(sql -> sql.contains("CREATE TABLE runs(")).findFirst().orElseThrow();
        assertEquals(expected, checked(createRuns));

        Path db = dir.resolve("results.db");
        Store.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs'")) {
            assertTrue(rs.next());
            assertEquals(expected, checked(rs.getString(1)));
        }
    }

    private static Set<String> checked(String createTable) {
        Matcher m = CHECK.matcher(createTable);
        assertTrue(m.find(), "no CHECK on status in " + createTable);
        Set<String> words = new LinkedHashSet<>();
        for (String quoted : m.group(1).split(",")) {
            String w = quoted.strip();
            assertTrue(w.startsWith("'") && w.endsWith("'"), w);
            assertTrue(words.add(w.substring(1, w.length() - 1)), "listed twice: " + w);
        }
        return words;
    }
}
