package io.herald.common.callback;

import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Queues status callbacks. Whoever makes a message final (a worker's outcome, the leader's quota
 * rejection) calls {@link #enqueue} on the connection of that same transaction, so the callback exists
 * exactly when the final status does. Workers deliver them ({@code worker.callback.CallbackDispatcher}).
 */
public final class Callbacks {
    private static final String FINAL_STATUSES = Arrays.stream(MessageStatus.values())
            .filter(MessageStatus::isTerminal)
            .map(s -> "'" + s.wireName() + "'")
            .collect(Collectors.joining(", "));

    private Callbacks() {}

    /**
     * Queues one callback for each of {@code messageIds} that has a callback URL and is now final,
     * with the status, attempts and error it has now. Calling it twice for the same outcome queues one.
     */
    public static void enqueue(Connection c, Collection<Long> messageIds) throws SQLException {
        if (messageIds.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO callback (message_id, status, message_attempts, error)"
                        + " SELECT id, status, attempts, last_error FROM message"
                        + " WHERE id IN (" + Sql.placeholders(messageIds.size()) + ") AND callback_url IS NOT NULL"
                        + " AND status IN (" + FINAL_STATUSES + ")"
                        + " ON DUPLICATE KEY UPDATE state = callback.state")) {
            Sql.bindLongs(insert, 1, messageIds);
            insert.executeUpdate();
        }
    }
}
