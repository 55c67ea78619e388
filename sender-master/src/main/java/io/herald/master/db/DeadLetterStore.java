package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusChange;
import io.herald.master.api.DeadLetterFilter;
import io.herald.master.api.DeadLetterView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Dead letters: listed oldest first with cursor paging, requeued or purged in chunks of
 * {@value #CHUNK}, each chunk one short transaction, so an operation over many dead letters never
 * holds many locks or one long transaction. Every status change is recorded in the audit trail.
 */
public record DeadLetterStore(Database database, String nodeId) {
    static final int CHUNK = 500;
    private static final DateTimeFormatter SQL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** Where a page ended: the next page starts after this dead letter. */
    public record Cursor(Instant deadAt, long id) {}

    public record Page(List<DeadLetterView> items, Cursor next) {}

    /** How many dead letters exist, and how long the oldest has been dead (zero when none). */
    public record Stats(long count, Duration oldestAge) {}

    /** Up to {@code limit} dead letters matching {@code filter}, oldest first, after {@code after} (null: from the start). */
    public Page list(DeadLetterFilter filter, Cursor after, int limit) throws SQLException {
        Where where = Where.of(filter);
        if (after != null) {
            // As text in UTC (the session's zone): Connector/J reads MariaDB's version as 5.5 and would
            // drop the milliseconds of a bound Timestamp, and the page would never advance.
            String deadAt = SQL_TIME.format(after.deadAt());
            where.and("(d.dead_at > ? OR (d.dead_at = ? AND d.message_id > ?))", deadAt, deadAt, after.id());
        }
        String sql = "SELECT m.id, m.application, m.channel, m.target, m.subject, m.attempts, m.last_error, m.created_at,"
                + " d.dead_at FROM dead_letter d JOIN message m ON m.id = d.message_id WHERE " + where.sql()
                + " ORDER BY d.dead_at, d.message_id LIMIT " + (limit + 1);
        return database.withConnection(c -> {
            List<DeadLetterView> items = new ArrayList<>();
            Cursor last = null;
            try (PreparedStatement select = c.prepareStatement(sql)) {
                where.bind(select, 1);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == limit) {
                            return new Page(items, last); // one more row exists: there is a next page
                        }
                        items.add(view(rs));
                        last = new Cursor(rs.getTimestamp(9).toInstant(), rs.getLong(1));
                    }
                    return new Page(items, null);
                }
            }
        });
    }

    private static DeadLetterView view(ResultSet rs) throws SQLException {
        return new DeadLetterView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), rs.getString(7), rs.getTimestamp(8).toInstant().toString(), rs.getTimestamp(9).toInstant().toString());
    }

    /**
     * Requeues the matching dead letters with a fresh retry budget, the oldest {@code max} at most (a
     * caller that reports progress asks again); answers how many.
     */
    public int requeue(DeadLetterFilter filter, String reason, int max) throws SQLException {
        return inChunks(filter, max, (c, ids) -> requeueLocked(c, nodeId, ids, reason));
    }

    /** Marks the matching dead letters purged (retention deletes them later), the oldest {@code max} at most; answers how many. */
    public int purge(DeadLetterFilter filter, String reason, int max) throws SQLException {
        return inChunks(filter, max, (c, ids) -> StatusChange.of(MessageTransition.PURGE).apply(c, nodeId, reason, ids));
    }

    public Stats stats() throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT COUNT(*), TIMESTAMPDIFF(MICROSECOND, MIN(dead_at), NOW(3)) FROM dead_letter");
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                return new Stats(rs.getLong(1), Duration.ofNanos(Math.max(0, rs.getLong(2)) * 1_000));
            }
        });
    }

    /**
     * Puts messages this transaction has locked back in the queue with a fresh retry budget, removes
     * their dead letters if they had any, and records the change.
     */
    static void requeueLocked(Connection c, String node, List<Long> ids, String reason) throws SQLException {
        StatusChange.of(MessageTransition.REQUEUE)
                .set("next_attempt_at = NOW(3)").set("retry_base = attempts")
                .apply(c, node, reason, ids);
    }

    @FunctionalInterface
    private interface ChunkWork {
        void apply(Connection c, List<Long> lockedIds) throws SQLException;
    }

    /**
     * Locks up to {@value #CHUNK} matching dead letters, applies {@code work} to them and commits; again
     * until a chunk comes back short or {@code max} are done. Each chunk removes its rows from
     * dead_letter, so this ends.
     */
    private int inChunks(DeadLetterFilter filter, int max, ChunkWork work) throws SQLException {
        Where where = Where.of(filter);
        int total = 0;
        int chunk;
        int wanted;
        do {
            wanted = Math.min(CHUNK, max - total);
            String sql = "SELECT d.message_id FROM dead_letter d WHERE " + where.sql()
                    + " ORDER BY d.dead_at, d.message_id LIMIT " + wanted + " FOR UPDATE";
            chunk = database.inTransaction(c -> {
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement select = c.prepareStatement(sql)) {
                    where.bind(select, 1);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    work.apply(c, ids);
                }
                return ids.size();
            });
            total += chunk;
        } while (chunk == wanted && total < max);
        return total;
    }

    /** A WHERE clause over {@code dead_letter d} and its parameters, in order. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> parameters = new ArrayList<>();

        static Where of(DeadLetterFilter filter) {
            Where where = new Where();
            if (!filter.ids().isEmpty()) {
                where.and("d.message_id IN (" + Sql.placeholders(filter.ids().size()) + ")", filter.ids().toArray());
            }
            if (filter.application() != null) {
                where.and("d.application = ?", filter.application());
            }
            if (filter.olderThan() != null) {
                where.and("d.dead_at <= TIMESTAMPADD(MICROSECOND, ?, NOW(3))", -filter.olderThan().toNanos() / 1_000);
            }
            return where;
        }

        void and(String condition, Object... values) {
            conditions.add(condition);
            parameters.addAll(List.of(values));
        }

        String sql() {
            return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        }

        void bind(PreparedStatement statement, int first) throws SQLException {
            int index = first;
            for (Object value : parameters) {
                statement.setObject(index++, value);
            }
        }
    }
}
