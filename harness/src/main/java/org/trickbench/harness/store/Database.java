package org.trickbench.harness.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;

/**
 * The one connection of a {@link Store} that its repositories share: transactions, parameterised
 * statements and queries. Transactions and queries hold this object's lock, so threads sharing a store
 * (a runner's heartbeat beside its training) never interleave statements on the connection.
 */
final class Database {
    private static final Pattern SQLITE_MESSAGE = Pattern.compile("\\(([^()\\n]+)\\)\\s*$");

    private final Path file;
    private final Connection connection;
    private final Clock clock;

    Database(Path file, Connection connection, Clock clock) {
        this.file = file;
        this.connection = connection;
        this.clock = clock;
    }

    /** Work inside a transaction; what it returns is what {@link #inTransaction} returns. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One row of a result as a value. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and returns its result once committed. Work that throws rolls
     * the transaction back and returns nothing: the exception goes on, an {@link SQLException} as a
     * {@link StoreException} (or a {@link CorruptDatabaseException} for a damaged file). Work with nothing
     * else to say returns its changed-row count. The store opens its connection with immediate
     * transactions, so the write lock is taken at the start and a claim can never be lost half-way.
     * Called inside another transaction (on the thread that holds it), the work joins that one: it commits
     * or rolls back with it ({@link Store#atomically}).
     */
    synchronized <T> T inTransaction(Work<T> work) {
        try {
            if (!connection.getAutoCommit()) {
                return work.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    /** One parameterised statement; returns how many rows it changed. Call it inside {@link #inTransaction}. */
    int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** The first row of a query, if any (a null value reads as none). */
    synchronized <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = queryList(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** Every row of a query, in the order it gives them. */
    synchronized <T> List<T> queryList(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    /** Binds arguments in order: null as NULL, a {@link RunStatus} as its stored word, anything else by type. */
    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                ps.setLong(i + 1, n);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a instanceof RunStatus status) {
                ps.setString(i + 1, status.stored());
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    Path file() {
        return file;
    }

    Instant instant() {
        return clock.instant();
    }

    /** The time now as the database stores it, {@code Instant.toString()}. */
    String now() {
        return Instant.now(clock).toString();
    }

    static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A damaged file as the user's problem (exit 2, with how to recover); anything else as a store failure. */
    static RuntimeException failure(Path file, SQLException e) {
        if (damaged(e)) {
            return new CorruptDatabaseException(file, sqliteReason(e), null);
        }
        return new StoreException(file + ": " + e.getMessage(), e);
    }

    /**
     * SQLite's primary result codes for a damaged file: SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), from
     * https://www.sqlite.org/rescode.html; the low byte of an extended code is its primary code.
     */
    private static boolean damaged(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        String message = String.valueOf(e.getMessage());
        return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code
                || message.contains("[SQLITE_CORRUPT") || message.contains("[SQLITE_NOTADB");
    }

    /**
     * SQLite's own message: the driver writes {@code [SQLITE_CORRUPT] The database disk image is malformed
     * (database disk image is malformed)}, the last parentheses holding what SQLite said.
     */
    private static String sqliteReason(SQLException e) {
        Matcher m = SQLITE_MESSAGE.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            return m.group(1).strip();
        }
        return (e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_NOTADB.code ? "file is not a database"
                : "database disk image is malformed";
    }
}
