package io.herald.common.audit;

import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The audit trail's one writer: every status change of a message is recorded here, on the connection
 * of the transaction that makes the change, so the change and its record commit or roll back together.
 * The event's time is the database clock at the insert.
 *
 * <p>A whole batch of changes is one multi-row INSERT per {@value #ROWS_PER_INSERT} changes: recording
 * 1,000 changes costs one statement, not 1,000.
 */
public final class MessageEvents {
    /** Longest reason stored (the column is VARCHAR(1024)); longer ones are cut. */
    public static final int MAX_REASON = 1024;

    private static final String INSERT = "INSERT INTO message_event (message_id, status, node, reason) VALUES ";
    /** Rows per INSERT: 4,000 parameters, well under the protocol's 65,535. */
    static final int ROWS_PER_INSERT = 1_000;

    private MessageEvents() {}

    /** One status change of one message. */
    public record Event(long messageId, MessageStatus status, String reason) {}

    /** Records that every message in {@code ids} changed to {@code status} for the same reason. */
    public static void record(Connection c, String node, MessageStatus status, String reason, Collection<Long> ids)
            throws SQLException {
        List<Event> events = new ArrayList<>(ids.size());
        for (long id : ids) {
            events.add(new Event(id, status, reason));
        }
        record(c, node, events);
    }

    /**
     * Records changes that each carry their own status and reason, as multi-row INSERTs built here: the
     * driver's batch rewrite cloned every bound value on addBatch and again to rewrite, the largest share
     * of the bytes a master and a worker allocated per message.
     */
    public static void record(Connection c, String node, List<Event> events) throws SQLException {
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            List<Event> rows = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
            try (PreparedStatement insert = c.prepareStatement(INSERT + Sql.tuplePlaceholders(rows.size(), 4))) {
                int index = 1;
                for (Event e : rows) {
                    insert.setLong(index++, e.messageId());
                    insert.setString(index++, e.status().wireName());
                    insert.setString(index++, node);
                    insert.setString(index++, truncate(e.reason()));
                }
                insert.executeUpdate();
            }
        }
    }

    /** Cuts {@code text} to at most {@code MAX_REASON} code points (the column counts characters, not chars). */
    static String truncate(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_REASON) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_REASON));
    }
}
