package io.herald.worker.db;

import io.herald.common.audit.MessageEvents;
import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.worker.callback.CallbackLeases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code callback} table as workers use it. Any worker may lease due callbacks: the callback lease
 * locks them with {@code FOR UPDATE SKIP LOCKED}, so concurrent workers take disjoint rows without waiting,
 * and moves each one's due time a lease ahead, so a lease whose worker dies lapses and the row is leased
 * again. An outcome applies only to the attempt it belongs to; a late one from a lapsed lease changes
 * nothing. (The column {@code claimed_by}, which names the leasing worker, keeps its name from before the
 * glossary.)
 */
public record CallbackStore(Database database, String workerId) implements CallbackLeases {
    @Override
    public List<Due> lease(int limit, Duration lease) throws SQLException {
        return database.inTransaction(c -> {
            List<Long> ids = lockDue(c, limit);
            if (ids.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE callback SET attempts = attempts + 1, claimed_by = ?, updated_at = NOW(3),"
                            + " next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)) WHERE id IN (" + Sql.placeholders(ids.size()) + ")")) {
                update.setString(1, workerId);
                update.setLong(2, lease.toNanos() / 1_000);
                Sql.bindLongs(update, 3, ids);
                update.executeUpdate();
            }
            return read(c, ids);
        });
    }

    private static List<Long> lockDue(Connection c, int limit) throws SQLException {
        List<Long> ids = new ArrayList<>(limit);
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM callback WHERE state = 'pending'"
                + " AND next_attempt_at <= NOW(3) ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<Due> read(Connection c, List<Long> ids) throws SQLException {
        List<Due> due = new ArrayList<>(ids.size());
        try (PreparedStatement select = c.prepareStatement(
                "SELECT k.id, k.message_id, m.application, m.callback_url, k.status, k.message_attempts,"
                        + " k.error, m.created_at, k.finished_at, k.attempts"
                        + " FROM callback k JOIN message m ON m.id = k.message_id"
                        + " WHERE k.id IN (" + Sql.placeholders(ids.size()) + ") ORDER BY k.id")) {
            Sql.bindLongs(select, 1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            MessageStatus.fromWire(rs.getString(5)), rs.getInt(6), rs.getString(7),
                            Sql.instant(rs.getTimestamp(8)), Sql.instant(rs.getTimestamp(9)), rs.getInt(10)));
                }
            }
        }
        return due;
    }

    @Override
    public boolean delivered(Due d) throws SQLException {
        return finish(d, "state = 'delivered', delivered_at = NOW(3), last_error = NULL", List.of(),
                "callback to " + d.url() + " delivered (attempt " + d.attempt() + ")");
    }

    @Override
    public boolean retry(Due d, String error, Duration delay) throws SQLException {
        return finish(d, "last_error = ?, next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))",
                List.of(SqlValues.truncate(error), SqlValues.saturatedMicros(delay)),
                "callback attempt " + d.attempt() + " failed, retry in " + delay.toMillis() + " ms: " + error);
    }

    @Override
    public boolean notAttempted(Due d, String reason, Duration wait) throws SQLException {
        return finish(d, "attempts = attempts - 1, next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))",
                List.of(SqlValues.saturatedMicros(wait)),
                "callback attempt " + d.attempt() + " not made: " + reason + "; due again in " + wait.toMillis() + " ms");
    }

    @Override
    public boolean failed(Due d, String error) throws SQLException {
        return finish(d, "state = 'failed', last_error = ?", List.of(SqlValues.truncate(error)),
                "callback failed for good after " + d.attempt() + " attempt(s): " + error);
    }

    /** Applies one outcome and records it in the message's audit trail, in one transaction. */
    private boolean finish(Due d, String set, List<Object> values, String event) throws SQLException {
        return database.inTransaction(c -> {
            int applied;
            try (PreparedStatement update = c.prepareStatement("UPDATE callback SET " + set + ", updated_at = NOW(3)"
                    + " WHERE id = ? AND attempts = ? AND state = 'pending'")) {
                int p = 1;
                for (Object value : values) {
                    update.setObject(p++, value);
                }
                update.setLong(p++, d.id());
                update.setInt(p, d.attempt());
                applied = update.executeUpdate();
            }
            if (applied == 1) {
                MessageEvents.record(c, workerId, List.of(new MessageEvents.Event(d.messageId(), d.status(), event)));
            }
            return applied == 1;
        });
    }
}
