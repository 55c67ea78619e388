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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The console's history ({@code console_sample}, migration V80) and the cluster-wide figures a sample
 * reads: the fence, the backlog by application and priority, unknown messages, and the end-to-end
 * latency of recent messages. Every time is the database clock's.
 */
public final class ConsoleSampleStore {
    /** At most this many backlog groups per sample; the rest are left out of the chart. */
    public static final int MAX_BACKLOG_GROUPS = 100;
    /** Each group is counted up to this many messages, and one more to tell that there are more. */
    public static final int BACKLOG_COUNT_CAP = 10_000;

    private final Database database;

    public ConsoleSampleStore(Database database) {
        this.database = database;
    }

    /** One value of a sample, before it is stored. */
    public record Row(String series, String label, double value) {}

    /** One stored value. */
    public record Stored(Instant at, String series, String label, double value) {}

    /** The dispatch fence: the token of the leader that last raised it, who, since when, and the pause switch. */
    public record Fence(long token, String holder, boolean paused, Instant acquiredAt) {}

    /** Queued messages of one application and priority. */
    public record Backlog(String application, Priority priority, long messages) {}

    /** Seconds from creation to sent of a sample of the messages in an id range; {@code open}: not final yet. */
    public record Latency(List<Double> seconds, long open) {}

    /** Stores one sample: every row gets the same database time. */
    public void write(List<Row> rows) throws SQLException {
        database.inTransaction(c -> {
            String now = now(c);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO console_sample (sampled_at, series, label, value) VALUES (?, ?, ?, ?)")) {
                for (Row row : rows) {
                    insert.setString(1, now); // as text: Connector/J would drop a bound Timestamp's milliseconds on MariaDB
                    insert.setString(2, row.series());
                    insert.setString(3, row.label());
                    insert.setDouble(4, row.value());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Deletes the samples older than {@code keep}; answers how many rows went. */
    public int prune(Duration keep) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM console_sample WHERE sampled_at < NOW(3) - INTERVAL ? SECOND")) {
                delete.setLong(1, keep.toSeconds());
                return delete.executeUpdate();
            }
        });
    }

    /** The stored rows of the last {@code span}, oldest first. */
    public List<Stored> since(Duration span) throws SQLException {
        return database.withConnection(c -> {
            List<Stored> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT sampled_at, series, label, value FROM console_sample"
                    + " WHERE sampled_at >= NOW(3) - INTERVAL ? SECOND ORDER BY sampled_at, series, label")) {
                select.setLong(1, span.toSeconds());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Stored(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getDouble(4)));
                    }
                }
            }
            return rows;
        });
    }

    /** The last {@code count} values of {@code series} (label ''), newest first, from the samples of the last two hours. */
    public List<Double> lastValues(String series, int count) throws SQLException {
        return database.withConnection(c -> {
            List<Double> values = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT value FROM console_sample WHERE series = ? AND label = ''"
                    + " AND sampled_at >= NOW(3) - INTERVAL 2 HOUR ORDER BY sampled_at DESC LIMIT " + count)) {
                select.setString(1, series);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getDouble(1));
                    }
                }
            }
            return values;
        });
    }

    public Fence fence() throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT token, holder, paused, acquired_at FROM leader_fence WHERE name = ?")) {
                select.setString(1, DispatchStore.FENCE);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    java.sql.Timestamp acquired = rs.getTimestamp(4);
                    return new Fence(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, acquired == null ? null : acquired.toInstant());
                }
            }
        });
    }

    /**
     * Queued messages by application and priority, at most {@link #MAX_BACKLOG_GROUPS} groups. The groups
     * come from a loose index scan of {@code ix_message_fair} (one dive per group, as the fair claim's);
     * each is counted along that index up to {@link #BACKLOG_COUNT_CAP} + 1 rows, so one sample reads a
     * bounded number of index entries however deep the backlog ({@code messages} above the cap: "more").
     */
    public List<Backlog> backlog() throws SQLException {
        return counted(MessageStatus.QUEUED);
    }

    /** Messages in {@code status} by application and priority, found and counted as {@link #backlog()} does. */
    private List<Backlog> counted(MessageStatus status) throws SQLException {
        return database.withConnection(c -> {
            List<Backlog> groups = new ArrayList<>();
            for (ConsoleMessageStore.Group group : ConsoleMessageStore.groups(c, status, MAX_BACKLOG_GROUPS)) {
                groups.add(new Backlog(group.application(), group.priority(), 0));
            }
            List<Backlog> counted = new ArrayList<>(groups.size());
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM message WHERE application = ?"
                    + " AND priority = ? AND " + StatusSql.is(status) + " LIMIT " + (BACKLOG_COUNT_CAP + 1) + ") AS g")) {
                for (Backlog group : groups) {
                    count.setString(1, group.application());
                    count.setInt(2, group.priority().rank());
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        counted.add(new Backlog(group.application(), group.priority(), rs.getLong(1)));
                    }
                }
            }
            return counted;
        });
    }

    /** Unknown messages, counted by application and priority along {@code ix_message_fair} as the backlog is. */
    public long unknownMessages() throws SQLException {
        return counted(MessageStatus.UNKNOWN).stream().mapToLong(Backlog::messages).sum();
    }

    /** The highest message id so far; ids grow with creation time, so two of these bound the messages created between. */
    public Optional<Long> maxId() throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT MAX(id) FROM message"); ResultSet rs = select.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getObject(1, Long.class));
            }
        });
    }

    /**
     * The latency of at most {@code sample} messages with ids in {@code (from, to]}, spread evenly over the
     * range (every n-th id), each read by primary key, so a busy interval costs no more than a quiet one.
     */
    public Latency latency(long from, long to, int sample) throws SQLException {
        long stride = Math.max(1, (to - from + sample - 1) / sample);
        List<Long> ids = new ArrayList<>();
        for (long id = from + stride; id <= to; id += stride) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return new Latency(List.of(), 0);
        }
        return database.withConnection(c -> {
            List<Double> seconds = new ArrayList<>();
            long open = 0;
            try (PreparedStatement select = c.prepareStatement("SELECT " + StatusSql.is(MessageStatus.SENT)
                    + ", TIMESTAMPDIFF(MICROSECOND, created_at, sent_at), " + StatusSql.in(MessageStatus.DEAD, MessageStatus.PURGED,
                    MessageStatus.REJECTED) + " FROM message WHERE id IN (" + Sql.placeholders(ids.size()) + ")")) {
                Sql.bindLongs(select, 1, ids);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean(1)) {
                            seconds.add(rs.getLong(2) / 1e6);
                        } else if (!rs.getBoolean(3)) {
                            open++;
                        }
                    }
                }
            }
            return new Latency(seconds, open);
        });
    }

    private static String now(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT CAST(NOW(3) AS CHAR)"); ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
