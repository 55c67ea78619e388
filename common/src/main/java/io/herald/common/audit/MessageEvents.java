package io.herald.common.audit;

import io.herald.common.model.MessageStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * The audit trail's one writer: every status change of a message is recorded here, on the connection
 * of the transaction that makes the change, so the change and its record commit or roll back together.
 * The event's time is the database clock at the insert.
 *
 * <p>A whole batch of changes is one JDBC batch, which the driver rewrites into one multi-row INSERT
 * ({@code rewriteBatchedStatements}): recording 1,000 changes costs one statement, not 1,000.
 */
public final class MessageEvents {
    /** Longest reason stored (the column is VARCHAR(1024)); longer ones are cut. */
    public static final int MAX_REASON = 1024;

    private static final String INSERT = "INSERT INTO message_event (message_id, status, node, reason) VALUES (?, ?, ?, ?)";

    private MessageEvents() {}

    /** One status change of one message. */
    public record Event(long messageId, MessageStatus status, String reason) {}

    /** Records that every message in {@code ids} changed to {@code status} for the same reason. */
    public static void record(Connection c, String node, MessageStatus status, String reason, Collection<Long> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String cut = truncate(reason);
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (long id : ids) {
                bind(insert, id, status, node, cut);
            }
            insert.executeBatch();
        }
    }

    /** Records changes that each carry their own status and reason. */
    public static void record(Connection c, String node, List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Event e : events) {
                bind(insert, e.messageId(), e.status(), node, truncate(e.reason()));
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, long id, MessageStatus status, String node, String reason)
            throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, status.wireName());
        insert.setString(3, node);
        insert.setString(4, reason);
        insert.addBatch();
    }

    /** Cuts {@code text} to at most {@code MAX_REASON} code points (the column counts characters, not chars). */
    static String truncate(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_REASON) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_REASON));
    }
}
