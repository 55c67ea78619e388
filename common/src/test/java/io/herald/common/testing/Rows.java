package io.herald.common.testing;

import io.herald.common.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads of Herald's tables for assertions. */
public final class Rows {
    private Rows() {}

    /** Message count per status. */
    public static Map<String, Integer> statusCounts(Database database) throws SQLException {
        return database.withConnection(c -> {
            Map<String, Integer> counts = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT status, COUNT(*) FROM message GROUP BY status");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
            return counts;
        });
    }

    /** The statuses in one message's audit trail, oldest first, each as {@code status@node}. */
    public static List<String> events(Database database, long messageId) throws SQLException {
        return database.withConnection(c -> {
            List<String> events = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT status, node FROM message_event WHERE message_id = ? ORDER BY id")) {
                s.setLong(1, messageId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        events.add(rs.getString(1) + "@" + rs.getString(2));
                    }
                }
            }
            return events;
        });
    }

    public static long count(Database database, String sql) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Inserts {@code n} queued messages directly, bypassing the API; returns the first id. */
    public static long insertQueued(Database database, int n, String channel, String target) throws SQLException {
        return insertQueued(database, "test", 2, n, channel, target);
    }

    /** Inserts {@code n} queued messages of one application and priority rank; returns the first id. */
    public static long insertQueued(Database database, String application, int priority, int n, String channel, String target)
            throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO message (application, channel, target, subject, body, priority, status)"
                            + " VALUES (?, ?, ?, 'subject', ?, ?, 'queued')",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < n; i++) {
                    insert.setString(1, application);
                    insert.setString(2, channel);
                    insert.setString(3, target);
                    insert.setString(4, "body " + i);
                    insert.setInt(5, priority);
                    insert.addBatch();
                }
                insert.executeBatch();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }
}
