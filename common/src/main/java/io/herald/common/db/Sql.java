package io.herald.common.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;

/** Small JDBC helpers with no knowledge of Herald's tables. */
public final class Sql {
    private Sql() {}

    /** "?,?,?" for an IN list of {@code n} parameters. */
    public static String placeholders(int n) {
        return repeated("?", n);
    }

    /** "(?,?),(?,?)" for a row-constructor IN list of {@code n} pairs, as in {@code (a, b) IN (...)}. */
    public static String pairPlaceholders(int n) {
        return tuplePlaceholders(n, 2);
    }

    /** "(?,?,?),(?,?,?)" for {@code n} rows of {@code arity} values, as in {@code (a, b, c) IN (...)}. */
    public static String tuplePlaceholders(int n, int arity) {
        return repeated("(" + placeholders(arity) + ")", n);
    }

    private static String repeated(String item, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        StringBuilder sb = new StringBuilder(n * (item.length() + 1));
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(item);
        }
        return sb.toString();
    }

    /** Binds {@code values} from parameter {@code first} on; returns the next free parameter index. */
    public static int bindLongs(PreparedStatement statement, int first, Collection<Long> values) throws SQLException {
        int index = first;
        for (Iterator<Long> it = values.iterator(); it.hasNext(); ) {
            statement.setLong(index++, it.next());
        }
        return index;
    }

    /**
     * Binds {@code values} to parameters 1, 2, ... in order, each by its own type (a Long as a long, a Boolean
     * as a boolean, ...), so that a statement's values read in the order of its placeholders.
     */
    public static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    /**
     * Runs {@code statement}, which ends in {@code IN}, with the list {@code (?, ?, ...)} of {@code ids}
     * appended and bound; for example {@code "DELETE FROM t WHERE id IN"}.
     *
     * @return the update count
     */
    public static int executeIn(Connection c, String statement, Collection<Long> ids) throws SQLException {
        try (PreparedStatement prepared = c.prepareStatement(statement + " (" + placeholders(ids.size()) + ")")) {
            bindLongs(prepared, 1, ids);
            return prepared.executeUpdate();
        }
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** MySQL's duplicate-key error (also MariaDB's), here or as the cause of a batch failure. */
    public static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 1062) {
                return true;
            }
        }
        return false;
    }
}
