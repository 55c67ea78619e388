package io.herald.common.transition;

import io.herald.common.db.Sql;
import io.herald.common.model.MessageTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one writer of {@code message.status}: applies one {@link MessageTransition} to a set of messages
 * inside the caller's transaction, with everything that belongs to it, as one batched set of statements:
 * <ol>
 *   <li>one {@code UPDATE ... WHERE status IN (<from>) AND id IN (...)}, with the caller's extra assignments;
 *       or, for an outcome that belongs to one attempt, {@code AND (id, attempts) IN (...)};</li>
 *   <li>one multi-row insert of the audit events ({@link MessageEvents});</li>
 *   <li>when the message becomes final, one {@code INSERT ... SELECT} of its callback ({@link Callbacks});</li>
 *   <li>into {@code dead}: one {@code INSERT ... SELECT} into {@code dead_letter}; out of {@code dead}: one DELETE.</li>
 * </ol>
 * The caller has locked the rows ({@code SELECT ... FOR UPDATE}) in a from-status. A row the guard does not
 * match means the caller asked for a change the table does not allow: that is a bug, and it throws, which
 * rolls the caller's transaction back.
 */
public final class StatusChange {
    private final MessageTransition transition;
    private final StringBuilder assignments = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    private StatusChange(MessageTransition transition) {
        this.transition = transition;
    }

    public static StatusChange of(MessageTransition transition) {
        return new StatusChange(transition);
    }

    /**
     * Adds a column assignment that goes with the change, such as {@code "last_error = NULL"} or
     * {@code "digest_id = ?"} with its values. It may not assign {@code status}.
     */
    public StatusChange set(String assignment, Object... values) {
        if (assignment.replace(" ", "").startsWith("status=")) {
            throw new IllegalArgumentException("the transition sets the status; assign only other columns");
        }
        assignments.append(", ").append(assignment);
        parameters.addAll(List.of(values));
        return this;
    }

    /**
     * Applies the change to {@code ids}, recording {@code reason} for each by {@code node}.
     *
     * @throws IllegalStateException if some message was not in a from-status (the transaction must roll back)
     */
    public void apply(Connection c, String node, String reason, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        apply(c, node, reason, ids, update(c, "id IN (" + Sql.placeholders(ids.size()) + ")", ids, List.of()));
    }

    /**
     * Applies the change to the messages in {@code attempts} (id to attempt), each only while it is still at
     * that attempt: an outcome of one attempt never changes a later one.
     *
     * @throws IllegalStateException if some message was not in a from-status at that attempt
     */
    public void applyAtAttempts(Connection c, String node, String reason, Map<Long, Integer> attempts) throws SQLException {
        if (attempts.isEmpty()) {
            return;
        }
        List<Long> ids = List.copyOf(attempts.keySet());
        List<Object> pairs = new ArrayList<>(2 * ids.size());
        ids.forEach(id -> {
            pairs.add(id);
            pairs.add(attempts.get(id));
        });
        apply(c, node, reason, ids, update(c, "(id, attempts) IN (" + Sql.pairPlaceholders(ids.size()) + ")", List.of(), pairs));
    }

    private void apply(Connection c, String node, String reason, Collection<Long> ids, int changed) throws SQLException {
        check(ids.size(), changed);
        SideEffects effects = new SideEffects();
        ids.forEach(id -> effects.add(transition, id, reason));
        effects.write(c, node, id -> true);
    }

    MessageTransition transition() {
        return transition;
    }

    /** The guarded UPDATE of {@code ids}, with no side effects; for {@link StatusBatch}. */
    void updateIds(Connection c, Collection<Long> ids) throws SQLException {
        check(ids.size(), update(c, "id IN (" + Sql.placeholders(ids.size()) + ")", ids, List.of()));
    }

    private void check(int expected, int changed) {
        if (changed != expected) {
            throw new IllegalStateException("illegal transition " + transition + ": " + (expected - changed) + " of "
                    + expected + " message(s) are not " + StatusSql.in("status", transition.from()));
        }
    }

    /** The guarded UPDATE: {@code rows} selects the messages, bound with {@code ids} or else {@code values}. */
    private int update(Connection c, String rows, Collection<Long> ids, List<Object> values) throws SQLException {
        // Connector/J counts matched rows (not changed ones), so the count is exactly the rows the guard let through.
        try (PreparedStatement update = c.prepareStatement("UPDATE message SET " + StatusSql.is(transition.to())
                + assignments + ", updated_at = NOW(3) WHERE " + StatusSql.in("status", transition.from()) + " AND " + rows)) {
            int index = 1;
            for (Object parameter : parameters) {
                update.setObject(index++, parameter);
            }
            index = Sql.bindLongs(update, index, ids);
            for (Object value : values) {
                update.setObject(index++, value);
            }
            return update.executeUpdate();
        }
    }
}
