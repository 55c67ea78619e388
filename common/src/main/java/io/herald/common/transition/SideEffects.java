package io.herald.common.transition;

import io.herald.common.audit.MessageEvents;
import io.herald.common.callback.Callbacks;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What belongs to status changes besides the update, collected over one or more transitions and written
 * as one statement each: the audit events, the callbacks of messages that became final, the
 * {@code dead_letter} rows in and out.
 */
final class SideEffects {
    private final List<MessageEvents.Event> events = new ArrayList<>();
    private final Set<Long> madeFinal = new LinkedHashSet<>();
    private final Set<Long> intoDead = new LinkedHashSet<>();
    private final Set<Long> outOfDead = new LinkedHashSet<>();

    /** Notes that {@code id} made {@code transition}, for {@code reason}. */
    void add(MessageTransition transition, long id, String reason) {
        events.add(new MessageEvents.Event(id, transition.to(), reason));
        if (transition.makesFinal()) {
            madeFinal.add(id);
        }
        if (transition.to() == MessageStatus.DEAD) {
            intoDead.add(id);
        } else if (transition.from().contains(MessageStatus.DEAD)) {
            outOfDead.add(id);
        }
    }

    /**
     * Writes them after every update: the callback and the dead letter read the row as it is now.
     * {@code wantsCallback} may spare the callback statement for messages known to have no callback URL.
     */
    void write(Connection c, String node, Predicate<Long> wantsCallback) throws SQLException {
        MessageEvents.record(c, node, events);
        Callbacks.enqueue(c, madeFinal.stream().filter(wantsCallback).toList());
        insertDeadLetters(c, intoDead);
        if (!outOfDead.isEmpty()) {
            Sql.executeIn(c, "DELETE FROM dead_letter WHERE message_id IN", outOfDead);
        }
    }

    /** The {@code dead_letter} rows exist exactly while their message is dead. */
    private static void insertDeadLetters(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        // None should exist yet; if one does, refreshing it is better than failing the batch again and again.
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO dead_letter (message_id, application, dead_at) SELECT id, application, NOW(3) FROM message"
                        + " WHERE id IN (" + Sql.placeholders(ids.size()) + ") ON DUPLICATE KEY UPDATE dead_at = NOW(3)")) {
            Sql.bindLongs(insert, 1, ids);
            insert.executeUpdate();
        }
    }
}
