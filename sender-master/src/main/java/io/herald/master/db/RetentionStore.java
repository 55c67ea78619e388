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
import java.util.Map;

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
        Scan scan = scan("message", DELETABLE, afterId, ageMicros, batchSize, (id, old, rs) -> {
            if (old && rs.getBoolean(4)) {
                candidates.add(id);
            }
        });
        int deleted = candidates.isEmpty() ? 0 : delete(candidates, ageMicros);
        return new Batch(deleted, scan.lastId(), scan.reachedRecent());
    }

    private record Scan(long lastId, boolean reachedRecent) {}

    private interface Row {
        /** @param old its last change is older than the cutoff; {@code rs} holds the scan's extra columns from 4 on */
        void visit(long id, boolean old, ResultSet rs) throws SQLException;
    }

    /**
     * Reads up to {@code batchSize} rows of {@code table} after {@code afterId} by primary key, stopping at the first
     * created after the cutoff: ids follow creation time, so nothing past it can be old.
     */
    private Scan scan(String table, String columns, long afterId, long ageMicros, int batchSize, Row row) throws SQLException {
        long lastId = afterId;
        int examined = 0;
        try (Connection c = database.connection();
                PreparedStatement scan = c.prepareStatement("SELECT id, updated_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                        + " created_at >= TIMESTAMPADD(MICROSECOND, ?, NOW(3)), " + columns
                        + " FROM " + table + " WHERE id > ? ORDER BY id LIMIT ?")) {
            scan.setLong(1, -ageMicros);
            scan.setLong(2, -ageMicros);
            scan.setLong(3, afterId);
            scan.setInt(4, batchSize);
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    examined++;
                    if (rs.getBoolean(3)) {
                        return new Scan(lastId, true);
                    }
                    lastId = rs.getLong(1);
                    row.visit(lastId, rs.getBoolean(2), rs);
                }
            }
        }
        return new Scan(lastId, examined < batchSize);
    }

    /**
     * One batch of fan-outs (the parent rows of messages sent to a topic), walked by primary key like messages:
     * examines up to {@code batchSize} after {@code afterId} and deletes those {@code done} or {@code cancelled}
     * whose last change is older than {@code maxAge}, in one statement that checks both again. A fan-out still
     * {@code sending} that old was never polled after its end, if it ended: it is counted ({@link FanoutStore#recount}),
     * which is a change, and becomes {@code done} if none of its messages is open, to be deleted {@code maxAge} later.
     * Fan-outs still {@code creating} are kept, however old.
     */
    public Batch deleteFanoutBatch(long afterId, Duration maxAge, int batchSize) throws SQLException {
        long ageMicros = maxAge.toNanos() / 1_000;
        List<Long> ended = new ArrayList<>();
        List<Map.Entry<Long, String>> unsettled = new ArrayList<>();
        Scan scan = scan("fanout", "state, application", afterId, ageMicros, batchSize, (id, old, rs) -> {
            if (old && FANOUT_ENDED.contains(rs.getString(4))) {
                ended.add(id);
            } else if (old && FanoutStore.SENDING.equals(rs.getString(4))) {
                unsettled.add(Map.entry(id, rs.getString(5)));
            }
        });
        for (Map.Entry<Long, String> fanout : unsettled) {
            database.inTransaction(c -> settle(c, fanout.getValue(), fanout.getKey()));
        }
        int deleted = ended.isEmpty() ? 0 : database.inTransaction(c -> deleteFanouts(c, ended, ageMicros));
        return new Batch(deleted, scan.lastId(), scan.reachedRecent());
    }

    private static final List<String> FANOUT_ENDED = List.of(FanoutStore.DONE, FanoutStore.CANCELLED);

    private static int deleteFanouts(Connection c, List<Long> ids, long ageMicros) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM fanout WHERE id IN (" + Sql.placeholders(ids.size())
                + ") AND state IN (?, ?) AND updated_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3))")) {
            int next = Sql.bindLongs(delete, 1, ids);
            delete.setString(next++, FanoutStore.DONE);
            delete.setString(next++, FanoutStore.CANCELLED);
            delete.setLong(next, -ageMicros);
            return delete.executeUpdate();
        }
    }

    private static int settle(Connection c, String application, long id) throws SQLException {
        if (FanoutStore.recount(c, application, id) > 0) {
            return 0;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE fanout SET state = ? WHERE id = ? AND state = ?")) {
            update.setString(1, FanoutStore.DONE);
            update.setLong(2, id);
            update.setString(3, FanoutStore.SENDING);
            return update.executeUpdate();
        }
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
