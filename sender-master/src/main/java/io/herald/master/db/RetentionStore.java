package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.transition.StatusSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes old finished messages in small batches keyed by the primary key, each one short transaction.
 *
 * <p>Message ids grow with creation time, so the oldest messages sit at the start of the primary key.
 * A pass walks the key upward from its cursor and stops at the first message created after the cutoff:
 * nothing past it can be old. That needs no index on {@code message} beyond the primary key, so the hot
 * path, which changes every message's status four times, pays nothing for retention. Old messages that
 * are kept (dead letters, unknown) are stepped over again on each pass; there are few of them.
 */
public final class RetentionStore {
    /** Finished for good: deleted once old. Dead letters wait for an operator and are kept. */
    static final String DELETABLE = StatusSql.in(MessageStatus.SENT, MessageStatus.PURGED, MessageStatus.REJECTED,
            MessageStatus.CANCELLED, MessageStatus.OPTED_OUT,
            MessageStatus.SUPPRESSED);

    private final Database database;

    public RetentionStore(Database database) {
        this.database = database;
    }

    /**
     * One batch: examines up to {@code batchSize} messages after {@code afterId} and deletes the old
     * finished ones among them, with their events and dedup keys.
     *
     * @param lastId the id to continue after; {@code reachedRecent} says the pass is over
     */
    public record Batch(int deleted, long lastId, boolean reachedRecent) {}

    public Batch deleteBatch(long afterId, Duration maxAge, int batchSize) throws SQLException {
        long ageMicros = maxAge.toNanos() / 1_000;
        List<Long> candidates = new ArrayList<>();
        long lastId = afterId;
        boolean reachedRecent = false;
        int examined = 0;
        try (Connection c = database.connection();
                PreparedStatement scan = c.prepareStatement(
                        "SELECT id, " + DELETABLE + " AND updated_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                                + " created_at >= TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                                + " FROM message WHERE id > ? ORDER BY id LIMIT ?")) {
            scan.setLong(1, -ageMicros);
            scan.setLong(2, -ageMicros);
            scan.setLong(3, afterId);
            scan.setInt(4, batchSize);
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    examined++;
                    if (rs.getBoolean(3)) {
                        reachedRecent = true;
                        break;
                    }
                    lastId = rs.getLong(1);
                    if (rs.getBoolean(2)) {
                        candidates.add(lastId);
                    }
                }
            }
        }
        int deleted = candidates.isEmpty() ? 0 : delete(candidates, ageMicros);
        return new Batch(deleted, lastId, reachedRecent || examined < batchSize);
    }

    /** Locks the candidates still old and finished, and deletes them with everything that hangs off them. */
    private int delete(List<Long> candidates, long ageMicros) throws SQLException {
        return database.inTransaction(c -> {
            List<Long> ids = new ArrayList<>(candidates.size());
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM message WHERE id IN ("
                    + Sql.placeholders(candidates.size()) + ") AND " + DELETABLE
                    + " AND updated_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3)) FOR UPDATE")) {
                int next = Sql.bindLongs(lock, 1, candidates);
                lock.setLong(next, -ageMicros);
                try (ResultSet rs = lock.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            Sql.executeIn(c, "DELETE FROM message_event WHERE message_id IN", ids);
            Sql.executeIn(c, "DELETE FROM delivery WHERE message_id IN", ids);
            // Long delivered or given up: a callback's retries end within hours, retention is days.
            Sql.executeIn(c, "DELETE FROM callback WHERE message_id IN", ids);
            Sql.executeIn(c, "DELETE FROM message WHERE id IN", ids);
            return ids.size();
        });
    }
}
