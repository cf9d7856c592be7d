package org.trickbench.harness.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#inTransaction}: a committed transaction's value comes back, a failed one leaves nothing. */
class DatabaseTest {
    @TempDir
    Path dir;

    private Path file;
    private Connection connection;
    private Database db;

    @BeforeEach
    void open() throws SQLException {
        file = dir.resolve("results.db");
        Store.open(file).close();
        connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        db = new Database(file, connection, Clock.systemUTC());
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    /** The matrix names as a second connection sees them: only what was committed. */
    private List<String> committedNames() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = other.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM matrices ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private int insertMatrix(String name) throws SQLException {
        return db.update("INSERT INTO matrices(name, definition, created_at) VALUES (?, '{}', ?)", name, db.now());
    }

    @Test
    void theWorksValueIsReturnedOnceCommitted() throws SQLException {
        String value = db.inTransaction(c -> {
            insertMatrix("a");
            insertMatrix("b");
            return "two rows";
        });
        assertEquals("two rows", value);
        assertEquals(List.of("a", "b"), committedNames());
        assertTrue(connection.getAutoCommit(), "the connection is back in autocommit");
    }

    @Test
    void workThatThrowsRollsBackReturnsNothingAndThrowsTheSameException() throws SQLException {
        db.inTransaction(c -> insertMatrix("kept"));
        IllegalStateException thrown = new IllegalStateException("stop half-way");
        List<String> returned = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> returned.add(db.inTransaction(c -> {
            insertMatrix("lost");
            throw thrown;
        })));
        assertSame(thrown, e);
        assertTrue(returned.isEmpty(), "no value comes back");
        assertEquals(List.of("kept"), committedNames());
        assertEquals(List.of("kept"), db.queryList("SELECT name FROM matrices", rs -> rs.getString(1)),
                "this connection does not see the rolled-back row either");
        assertTrue(connection.getAutoCommit());
    }

    @Test
    void anSqlFailureRollsBackTheWholeTransactionAsAStoreExceptionNamingTheFile() throws SQLException {
        StoreException e = assertThrows(StoreException.class, () -> db.inTransaction(c -> {
            insertMatrix("first");
            return insertMatrix("first"); // the primary key refuses a second row
        }));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertInstanceOf(SQLException.class, e.getCause());
        assertEquals(List.of(), committedNames());
        assertEquals(1, (int) db.inTransaction(c -> insertMatrix("first")), "a failed transaction leaves no lock behind");
        assertEquals(List.of("first"), committedNames());
    }
}
