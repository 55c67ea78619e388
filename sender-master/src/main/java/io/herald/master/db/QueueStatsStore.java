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
 * touches a sent row: the groups of a status by a loose index scan of {@code ix_message_fair} (one dive
 * per group), each group's count by a range of that index's prefix (application, priority, status)
 * that stops at {@code countCap}.
 */
public final class QueueStatsStore {
    /** Groups read per refresh and status, oldest first; past this the rest goes uncounted. */
    static final int MAX_GROUPS = 1_000;

    // The index is forced: with few rows of the status the optimizer was seen to pick another plan that
    // reads them all. With the hint, EXPLAIN says "Using index for group-by".
    static String groups(MessageStatus status) {
        return "SELECT application, priority, TIMESTAMPDIFF(MICROSECOND, MIN(next_attempt_at), NOW(3))"
                + " FROM message FORCE INDEX (ix_message_fair) WHERE " + StatusSql.is(status)
                + " GROUP BY application, priority ORDER BY 3 DESC LIMIT " + MAX_GROUPS;
    }

    static String groupCount(MessageStatus status) {
        return "SELECT COUNT(*) FROM (SELECT 1 FROM message FORCE INDEX (ix_message_fair)"
                + " WHERE application = ? AND priority = ? AND " + StatusSql.is(status) + " LIMIT ?) capped";
    }

    /** One (application, priority): its messages of one status (at most the cap) and its oldest due message's age. */
    public record Group(String application, int priority, long count, Duration oldestDueAge) {}

    public record Stats(List<Group> queued, long unknown) {}

    private final Database database;
    private final int countCap;

    public QueueStatsStore(Database database, int countCap) {
        this.database = database;
        this.countCap = countCap;
    }

    public Stats read() throws SQLException {
        return database.withConnection(c -> {
            List<Group> queued = counted(c, MessageStatus.QUEUED);
            long unknown = counted(c, MessageStatus.UNKNOWN).stream().mapToLong(Group::count).sum();
            return new Stats(queued, unknown);
        });
    }

    private List<Group> counted(Connection c, MessageStatus status) throws SQLException {
        List<Group> groups = new ArrayList<>();
        for (Group head : heads(c, status)) {
            groups.add(new Group(head.application(), head.priority(), count(c, status, head), head.oldestDueAge()));
        }
        return List.copyOf(groups);
    }

    /** Every group with a message of {@code status}, with its oldest age (0 while its earliest is not due yet). */
    private static List<Group> heads(Connection c, MessageStatus status) throws SQLException {
        List<Group> heads = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(groups(status));
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                heads.add(new Group(rs.getString(1), rs.getInt(2), 0, Duration.ofNanos(Math.max(0, rs.getLong(3)) * 1_000)));
            }
        }
        return heads;
    }

    private long count(Connection c, MessageStatus status, Group group) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(groupCount(status))) {
            select.setString(1, group.application());
            select.setInt(2, group.priority());
            select.setInt(3, countCap);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
