package io.herald.common.transition;

import io.herald.common.audit.MessageEvents;
import io.herald.common.model.MessageStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * The one insert path for the messages Herald creates itself (quota warnings, digests), in the caller's
 * transaction: one INSERT and its {@code queued} audit event. Messages from applications come in through
 * the API's batched insert.
 */
public final class OwnMessages {
    /** The application Herald's own warnings are sent as. */
    public static final String SYSTEM_APPLICATION = "herald";

    private OwnMessages() {}

    /**
     * One message of Herald's own. {@code subject} may be null; {@code digest} marks a digest row, whose
     * messages are the ones held for it; it becomes due {@code dueInMicros} after the database's now.
     */
    public record OwnMessage(String application, String channel, String target, String subject, String body, int priority,
                             boolean digest, long dueInMicros) {}

    /** Inserts {@code message} queued and records why; returns its id. */
    public static long insert(Connection c, String node, OwnMessage message, String reason) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO message (application, channel, target, subject, body, priority, status, is_digest, next_attempt_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, TIMESTAMPADD(MICROSECOND, ?, NOW(3)))", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, message.application());
            insert.setString(2, message.channel());
            insert.setString(3, message.target());
            if (message.subject() == null) {
                insert.setNull(4, Types.VARCHAR);
            } else {
                insert.setString(4, message.subject());
            }
            insert.setString(5, message.body());
            insert.setInt(6, message.priority());
            insert.setString(7, MessageStatus.QUEUED.wireName());
            insert.setInt(8, message.digest() ? 1 : 0);
            insert.setLong(9, message.dueInMicros());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                MessageEvents.record(c, node, MessageStatus.QUEUED, reason, List.of(id));
                return id;
            }
        }
    }
}
