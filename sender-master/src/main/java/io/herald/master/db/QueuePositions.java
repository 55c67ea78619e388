package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.transition.StatusSql;
import io.herald.master.policy.QueuePosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * A queued (or scheduled) message's place in its application's queue, in the order the fenced claim
 * takes an application's messages ({@link FairClaim}): more urgent priorities first, and within a
 * priority by due time, then id. Ahead of a message are the queued messages of its application
 * <ul>
 *   <li>of a more urgent priority, due no later than it is (or than now, if it is due already), and</li>
 *   <li>of its own priority, due before it, or at the same time with a smaller id.</li>
 * </ul>
 * Other applications do not count: each has its own share of every batch.
 *
 * <p>Cost, bounded whatever the backlog: a primary-key read of the message, then one index range count
 * on {@code ix_message_fair} (application, priority, status, next_attempt_at, id) per priority up to its
 * own, each a {@code LIMIT}ed derived table, so at most {@code cap + 1} index entries are read in all;
 * past the cap the answer is a lower bound. And one primary-key read of {@code dispatch_rate}.
 *
 * @param cap the most messages counted ahead ({@code api.queuePositionCap}); beyond it the position is "at least"
 */
public record QueuePositions(Database database, DispatchRateStore rates, int cap) {
    private static final String AHEAD = "SELECT COUNT(*) FROM (SELECT 1 FROM message WHERE application = ? AND priority = ? AND "
            + StatusSql.is(MessageStatus.QUEUED) + " AND ";

    /** The position of message {@code id} of {@code application}; empty unless it is queued (scheduled ones are). */
    public Optional<QueuePosition> of(String application, long id) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT priority, next_attempt_at, NOW(3) FROM message"
                    + " WHERE id = ? AND application = ? AND " + StatusSql.is(MessageStatus.QUEUED))) {
                select.setLong(1, id);
                select.setString(2, application);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(position(c, application, id, rs.getInt(1), Sql.instant(rs.getTimestamp(2)),
                            Sql.instant(rs.getTimestamp(3))));
                }
            }
        });
    }

    private QueuePosition position(Connection c, String application, long id, int priority, Instant due, Instant now) throws SQLException {
        // One more than the cap, so that a count past it shows.
        long left = cap + 1L;
        Instant urgentDueBy = due.isAfter(now) ? due : now;
        for (int rank = 0; rank < priority && left > 0; rank++) {
            left -= countAhead(c, AHEAD + "next_attempt_at <= FROM_UNIXTIME(? / 1000) LIMIT ?) ahead",
                    application, rank, left, urgentDueBy.toEpochMilli());
        }
        if (left > 0) {
            left -= countAhead(c, AHEAD + "(next_attempt_at < FROM_UNIXTIME(? / 1000)"
                    + " OR (next_attempt_at = FROM_UNIXTIME(? / 1000) AND id < ?)) LIMIT ?) ahead",
                    application, priority, left, due.toEpochMilli(), due.toEpochMilli(), id);
        }
        long ahead = cap + 1L - left;
        boolean atLeast = ahead > cap;
        return QueuePosition.of(atLeast ? cap : ahead, atLeast, due, now, rates.perSecond(c, application));
    }

    /** {@code sql}'s count, its parameters: application, priority, then {@code bounds}, then the limit. */
    private static long countAhead(Connection c, String sql, String application, int priority, long limit, long... bounds)
            throws SQLException {
        try (PreparedStatement count = c.prepareStatement(sql)) {
            int p = 1;
            count.setString(p++, application);
            count.setInt(p++, priority);
            for (long bound : bounds) {
                count.setLong(p++, bound);
            }
            count.setLong(p, limit);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
