package io.herald.master.db;

import io.herald.common.db.Database;
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
 * The queue's backlog for the gauges: queued messages per (application, priority) and the age of each
 * group's oldest due message, and the number of {@code unknown} messages. Every read is bounded and none
 * touches a sent row: the groups by a loose index scan of {@code ix_message_fair} (one dive per group),
 * each group's count by a range of that index's prefix (application, priority, status) that stops at
 * {@code countCap}, the unknown count by a range of {@code ix_message_lease}, stopped at the same cap.
 */
public final class QueueStatsStore {
    /** Groups read per refresh, oldest first; past this the rest of the backlog goes uncounted. */
    static final int MAX_GROUPS = 1_000;

    // Indexes forced: with few queued rows the optimizer was seen to read every queued row through
    // ix_message_lease for the groups. With the hint, EXPLAIN says "Using index for group-by".
    static final String GROUPS = "SELECT application, priority, TIMESTAMPDIFF(MICROSECOND, MIN(next_attempt_at), NOW(3))"
            + " FROM message FORCE INDEX (ix_message_fair) WHERE " + StatusSql.is(MessageStatus.QUEUED)
            + " GROUP BY application, priority ORDER BY 3 DESC LIMIT " + MAX_GROUPS;
    static final String GROUP_COUNT = "SELECT COUNT(*) FROM (SELECT 1 FROM message FORCE INDEX (ix_message_fair)"
            + " WHERE application = ? AND priority = ? AND " + StatusSql.is(MessageStatus.QUEUED) + " LIMIT ?) capped";
    static final String UNKNOWN_COUNT = "SELECT COUNT(*) FROM (SELECT 1 FROM message FORCE INDEX (ix_message_lease)"
            + " WHERE " + StatusSql.is(MessageStatus.UNKNOWN) + " LIMIT ?) capped";

    /** One (application, priority): its queued messages (at most the cap) and its oldest due message's age. */
    public record Group(String application, int priority, long queued, Duration oldestDueAge) {}

    public record Stats(List<Group> groups, long unknown) {}

    private final Database database;
    private final int countCap;

    public QueueStatsStore(Database database, int countCap) {
        this.database = database;
        this.countCap = countCap;
    }

    public Stats read() throws SQLException {
        return database.withConnection(c -> {
            List<Group> groups = new ArrayList<>();
            for (Group head : heads(c)) {
                groups.add(new Group(head.application(), head.priority(), queued(c, head), head.oldestDueAge()));
            }
            return new Stats(List.copyOf(groups), unknown(c));
        });
    }

    /** Every group with a queued message, with its oldest age (0 while its earliest message is not due yet). */
    private static List<Group> heads(Connection c) throws SQLException {
        List<Group> heads = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(GROUPS);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                heads.add(new Group(rs.getString(1), rs.getInt(2), 0, Duration.ofNanos(Math.max(0, rs.getLong(3)) * 1_000)));
            }
        }
        return heads;
    }

    private long queued(Connection c, Group group) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(GROUP_COUNT)) {
            select.setString(1, group.application());
            select.setInt(2, group.priority());
            select.setInt(3, countCap);
            return count(select);
        }
    }

    private long unknown(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(UNKNOWN_COUNT)) {
            select.setInt(1, countCap);
            return count(select);
        }
    }

    private static long count(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
