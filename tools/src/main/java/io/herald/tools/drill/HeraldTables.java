package io.herald.tools.drill;

import io.herald.common.model.MessageStatus;
import io.herald.common.transition.StatusSql;
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
 * drill's verdict on loss and duplicates comes from the receivers; these say when a leader took over,
 * which writes the fence refused, which attempts Herald recorded as ambiguous, and what is left unfinished.
 */
final class HeraldTables {
    record Fence(long token, String holder) {}

    private final ScratchDatabase database;
    /** One connection for all the drill's reads, reopened when a query fails: the server's connections are few. */
    private Connection connection;

    HeraldTables(ScratchDatabase database) {
        this.database = database;
    }

    Fence fence() throws SQLException {
        return rows("SELECT token, holder FROM leader_fence WHERE name = 'dispatch'",
                rs -> new Fence(rs.getLong(1), rs.getString(2))).get(0);
    }

    /** True once some message carries the token, i.e. its leader has dispatched. */
    boolean dispatchedUnder(long token) throws SQLException {
        return !rows("SELECT 1 FROM message WHERE dispatch_token = ? LIMIT 1", rs -> true, token).isEmpty();
    }

    long lastFenceEventId() throws SQLException {
        return rows("SELECT COALESCE(MAX(id), 0) FROM fence_event", rs -> rs.getLong(1)).get(0);
    }

    /** Writes the fence refused after the given event, per holder. */
    Map<String, Long> refusedSince(long eventId) throws SQLException {
        Map<String, Long> refused = new HashMap<>();
        rows("SELECT holder, COUNT(*) FROM fence_event WHERE accepted = 0 AND id > ? GROUP BY holder",
                rs -> refused.put(rs.getString(1), rs.getLong(2)), eventId);
        return refused;
    }

    /** Every token the fence accepted, in the order it accepted them. */
    List<Long> acceptedTokens() throws SQLException {
        return rows("SELECT token FROM fence_event WHERE accepted = 1 ORDER BY id", rs -> rs.getLong(1));
    }

    Map<String, Long> statusCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        rows("SELECT status, COUNT(*) FROM message GROUP BY status ORDER BY status", rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    long unfinished() throws SQLException {
        return rows("SELECT COUNT(*) FROM message WHERE NOT " + StatusSql.in("status", MessageStatus.terminal()), rs -> rs.getLong(1)).get(0);
    }

    List<Long> idsWithStatus(String status) throws SQLException {
        return rows("SELECT id FROM message WHERE status = ? ORDER BY id", rs -> rs.getLong(1), status);
    }

    /** Messages that ended without delivery, with the reason Herald stored (null when it stored none). */
    Map<Long, String> deadLetters() throws SQLException {
        Map<Long, String> dead = new HashMap<>();
        rows("SELECT id, last_error FROM message WHERE " + StatusSql.in(MessageStatus.DEAD, MessageStatus.REJECTED), rs -> dead.put(rs.getLong(1), rs.getString(2)));
        return dead;
    }

    /** Per message, the attempts Herald recorded as ambiguous: answer lost after the request was written, or left unknown. */
    Map<Long, Integer> ambiguousAttempts() throws SQLException {
        Map<Long, Integer> ambiguous = new HashMap<>();
        rows("SELECT m.id, m.ambiguous_attempts + COUNT(e.id) FROM message m"
                + " LEFT JOIN message_event e ON e.message_id = m.id AND " + StatusSql.is("e.status", MessageStatus.UNKNOWN)
                        + " GROUP BY m.id, m.ambiguous_attempts",
                rs -> ambiguous.put(rs.getLong(1), rs.getInt(2)));
        return ambiguous;
    }

    /** The workers with sends in flight now (their messages sending), most first. */
    List<String> workersSending() throws SQLException {
        return rows("SELECT d.worker FROM message m JOIN delivery d ON d.message_id = m.id AND d.attempt = m.attempts"
                + " WHERE " + StatusSql.is("m.status", MessageStatus.SENDING) + " GROUP BY d.worker ORDER BY COUNT(*) DESC",
                rs -> rs.getString(1));
    }

    /** Messages the lease reaper queued again because their application resends unknown outcomes. */
    List<Long> resentAfterUnknown() throws SQLException {
        return rows("SELECT DISTINCT message_id FROM message_event WHERE " + StatusSql.is(MessageStatus.QUEUED)
                + " AND reason LIKE '%unknownOutcome=resend%'", rs -> rs.getLong(1));
    }

    /**
     * Messages of {@code application} (one that resends) that were made unknown for an operator although
     * they had attempts left: the reaper should have resent them.
     */
    long parkedWithAttemptsLeft(String application) throws SQLException {
        return rows("SELECT COUNT(DISTINCT e.message_id) FROM message_event e JOIN message m ON m.id = e.message_id"
                + " WHERE m.application = ? AND " + StatusSql.is("e.status", MessageStatus.UNKNOWN)
                + " AND e.reason NOT LIKE '%attempts are used%'", rs -> rs.getLong(1), application).get(0);
    }

    Timestamp now() throws SQLException {
        return rows("SELECT NOW(3)", rs -> rs.getTimestamp(1)).get(0);
    }

    /** Messages created at or after {@code since} that have left {@code queued}: any means someone dispatched. */
    long dispatchedAmongCreatedSince(Timestamp since) throws SQLException {
        return rows("SELECT COUNT(*) FROM message WHERE created_at >= ? AND NOT " + StatusSql.is(MessageStatus.QUEUED), rs -> rs.getLong(1), since).get(0);
    }

    /** One row's value; may also collect it elsewhere and return anything. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private synchronized <T> List<T> rows(String sql, RowReader<T> reader, Object... params) throws SQLException {
        if (connection == null) {
            connection = database.connection();
        }
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            closeQuietly();
            throw e;
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // it is broken anyway
        }
        connection = null;
    }
}
