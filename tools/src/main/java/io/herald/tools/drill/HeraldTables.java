package io.herald.tools.drill;

import io.herald.tools.cluster.ScratchDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the drill reads from Herald's own tables: the fence and its history, and message states. The
 * drill's verdict on loss and duplicates comes from the receivers; these only say when a leader took
 * over, which writes the fence refused, and what is left unfinished.
 */
final class HeraldTables {
    /** Statuses a message never leaves on its own. {@code unknown} is not one: it waits for an operator. */
    static final List<String> TERMINAL = List.of("sent", "failed", "dead", "rejected");

    record Fence(long token, String holder) {}

    private final ScratchDatabase database;

    HeraldTables(ScratchDatabase database) {
        this.database = database;
    }

    Fence fence() throws SQLException {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT token, holder FROM leader_fence WHERE name = 'dispatch'"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return new Fence(rs.getLong(1), rs.getString(2));
        }
    }

    /** True once some message carries the token, i.e. its leader has dispatched. */
    boolean dispatchedUnder(long token) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM message WHERE dispatch_token = ? LIMIT 1")) {
            s.setLong(1, token);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    long lastFenceEventId() throws SQLException {
        return database.queryLong("SELECT COALESCE(MAX(id), 0) FROM fence_event");
    }

    /** Writes the fence refused after the given event, per holder. */
    Map<String, Long> refusedSince(long eventId) throws SQLException {
        Map<String, Long> refused = new HashMap<>();
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT holder, COUNT(*) FROM fence_event WHERE accepted = 0 AND id > ? GROUP BY holder")) {
            s.setLong(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    refused.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return refused;
    }

    /** Every token the fence accepted, in the order it accepted them. */
    List<Long> acceptedTokens() throws SQLException {
        List<Long> tokens = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT token FROM fence_event WHERE accepted = 1 ORDER BY id"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tokens.add(rs.getLong(1));
            }
        }
        return tokens;
    }

    Map<String, Long> statusCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT status, COUNT(*) FROM message GROUP BY status ORDER BY status"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    long unfinished() throws SQLException {
        return database.queryLong("SELECT COUNT(*) FROM message WHERE status NOT IN (" + quoted(TERMINAL) + ")");
    }

    List<Long> idsWithStatus(String status) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT id FROM message WHERE status = ? ORDER BY id")) {
            s.setString(1, status);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Messages that ended without delivery, with the reason Herald stored (null when it stored none). */
    Map<Long, String> deadLetters() throws SQLException {
        Map<Long, String> dead = new HashMap<>();
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, last_error FROM message WHERE status IN ('failed', 'dead', 'rejected')"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                dead.put(rs.getLong(1), rs.getString(2));
            }
        }
        return dead;
    }

    Timestamp now() throws SQLException {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement("SELECT NOW(3)");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** Messages created at or after {@code since} that have left {@code queued}: any means someone dispatched. */
    long dispatchedAmongCreatedSince(Timestamp since) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM message WHERE created_at >= ? AND status <> 'queued'")) {
            s.setTimestamp(1, since);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "'" + v + "'").toList());
    }
}
