package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.transition.OwnMessages;
import io.herald.common.transition.OwnMessages.OwnMessage;
import io.herald.master.policy.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code outbox} table: side effects of the leader's claim, added in its fenced transaction and
 * relayed outside it into Herald's own messages ({@link OwnMessages}). A relayed row is deleted in the
 * transaction that inserts its message, so each becomes exactly one message; rows locked by another
 * master's relay are skipped.
 */
public final class OutboxStore implements Outbox {
    private final Database database;

    public OutboxStore(Database database) {
        this.database = database;
    }

    @Override
    public void add(Connection c, OwnMessage message, String reason) throws SQLException {
        if (message.digest()) {
            throw new IllegalArgumentException("a digest is created in the claim that holds its messages, not relayed");
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO outbox (application, channel, target, subject, body, priority, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, message.application());
            insert.setString(2, message.channel());
            insert.setString(3, message.target());
            insert.setString(4, message.subject());
            insert.setString(5, message.body());
            insert.setInt(6, message.priority());
            insert.setString(7, reason);
            insert.executeUpdate();
        }
    }

    /**
     * Turns up to {@code limit} outbox rows, oldest first, into queued messages recorded by {@code node}.
     *
     * @return how many were relayed
     */
    public int relay(String node, int limit) throws SQLException {
        return database.inTransaction(c -> {
            List<Entry> entries = lock(c, limit);
            for (Entry e : entries) {
                OwnMessages.insert(c, node, e.message(), e.reason());
            }
            if (!entries.isEmpty()) {
                Sql.executeIn(c, "DELETE FROM outbox WHERE id IN", entries.stream().map(Entry::id).toList());
            }
            return entries.size();
        });
    }

    private record Entry(long id, OwnMessage message, String reason) {}

    private static List<Entry> lock(Connection c, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT id, application, channel, target, subject, body, priority, reason"
                + " FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), new OwnMessage(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), false, 0), rs.getString(8)));
                }
            }
        }
        return entries;
    }
}
