package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.Priority;
import io.herald.common.transition.StatusSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Messages as the operator console reads them: across applications, with everything an operator needs
 * to judge one (its application, channel, target, idempotency key), and the unknown messages.
 */
public final class ConsoleMessageStore {
    private final Database database;

    public ConsoleMessageStore(Database database) {
        this.database = database;
    }

    /** One message as the console shows it; times are ISO-8601 instants from the database clock. */
    public record Detail(long id, String application, String channel, String target, String subject, String priority,
                         String status, int attempts, int ambiguousAttempts, String idempotencyKey, String createdAt,
                         String updatedAt, String sentAt, String nextAttemptAt, String error, Long digestId) {}

    private static final String DETAIL = "SELECT id, application, channel, target, subject, priority, status, attempts,"
            + " ambiguous_attempts, idempotency_key, created_at, updated_at, " + StatusSql.SENT_AT + ", next_attempt_at, last_error, digest_id FROM message";

    public Optional<Detail> find(long id) throws SQLException {
        return one(DETAIL + " WHERE id = ?", select -> select.setLong(1, id));
    }

    /** The message {@code application} stored under {@code idempotencyKey}, compared byte for byte as the API does. */
    public Optional<Detail> findByKey(String application, String idempotencyKey) throws SQLException {
        return one(DETAIL + " WHERE application = ? AND idempotency_key = ?", select -> {
            select.setString(1, application);
            select.setBytes(2, IdempotencyHash.keyBytes(idempotencyKey));
        });
    }

    /** One (application, priority) that has messages in some status. */
    record Group(String application, Priority priority) {}

    /**
     * The (application, priority) groups with a message in {@code status}, at most {@code limit}: a loose
     * index scan of {@code ix_message_fair} (application, priority, status, ...), one dive per group.
     */
    static List<Group> groups(Connection c, MessageStatus status, int limit) throws SQLException {
        List<Group> groups = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT application, priority, MIN(next_attempt_at) FROM message WHERE "
                + StatusSql.is(status) + " GROUP BY application, priority LIMIT " + limit);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                groups.add(new Group(rs.getString(1), Priority.fromRank(rs.getInt(2))));
            }
        }
        return groups;
    }

    /**
     * Unknown messages (a worker died mid-send), in id order after {@code afterId}, at most {@code limit};
     * {@code application} and {@code olderThan} (since the last change) narrow them when not null. Each
     * (application, priority) is read as one range of {@code ix_message_fair}, then the pages are merged.
     */
    public List<Detail> unknown(String application, Duration olderThan, long afterId, int limit) throws SQLException {
        String sql = DETAIL + " WHERE application = ? AND priority = ? AND " + StatusSql.is(MessageStatus.UNKNOWN) + " AND id > ?"
                + (olderThan != null ? " AND updated_at <= NOW(3) - INTERVAL ? MICROSECOND" : "") + " ORDER BY id LIMIT " + limit;
        return database.withConnection(c -> {
            List<Detail> found = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(sql)) {
                for (Group group : groups(c, MessageStatus.UNKNOWN, ConsoleSampleStore.MAX_BACKLOG_GROUPS)) {
                    if (application != null && !application.equals(group.application())) {
                        continue;
                    }
                    select.setString(1, group.application());
                    select.setInt(2, group.priority().rank());
                    select.setLong(3, afterId);
                    if (olderThan != null) {
                        select.setLong(4, olderThan.toNanos() / 1_000);
                    }
                    found.addAll(all(select));
                }
            }
            found.sort(java.util.Comparator.comparingLong(Detail::id));
            return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement select) throws SQLException;
    }

    private Optional<Detail> one(String sql, Binder binder) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                binder.bind(select);
                return all(select).stream().findFirst();
            }
        });
    }

    private static List<Detail> all(PreparedStatement select) throws SQLException {
        List<Detail> found = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                byte[] key = rs.getBytes(10);
                found.add(new Detail(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Priority.fromRank(rs.getInt(6)).wireName(), rs.getString(7), rs.getInt(8), rs.getInt(9),
                        key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8), iso(rs.getTimestamp(11)),
                        iso(rs.getTimestamp(12)), iso(rs.getTimestamp(13)), iso(rs.getTimestamp(14)), rs.getString(15),
                        rs.getObject(16, Long.class)));
            }
        }
        return found;
    }

    private static String iso(Timestamp timestamp) {
        return timestamp == null ? null : Sql.instant(timestamp).toString();
    }
}
