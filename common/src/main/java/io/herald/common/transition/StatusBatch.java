package io.herald.common.transition;

import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Several transitions in one transaction, for writers whose messages change in different ways at once
 * (a worker's outcome batch): each change is guarded as in {@link StatusChange}, and what belongs to all
 * of them is written once at {@link #finish()}: one multi-row insert of the events, one callback insert,
 * one {@code dead_letter} insert. So a mixed batch costs no more statements than a uniform one.
 */
public final class StatusBatch {
    private final Connection c;
    private final String node;
    private final SideEffects effects = new SideEffects();
    private Predicate<Long> wantsCallback = id -> true;

    private StatusBatch(Connection c, String node) {
        this.c = c;
        this.node = node;
    }

    /** A batch on the caller's transaction; the caller has locked the rows. */
    public static StatusBatch on(Connection c, String node) {
        return new StatusBatch(c, node);
    }

    /** Applies {@code change} to the messages of {@code reasons} (id to the reason recorded), in one UPDATE. */
    public StatusBatch change(StatusChange change, Map<Long, String> reasons) throws SQLException {
        if (!reasons.isEmpty()) {
            change.updateIds(c, reasons.keySet());
            reasons.forEach((id, reason) -> effects.add(change.transition(), id, reason));
        }
        return this;
    }

    /**
     * Changes whose rows each carry their own values, as one JDBC batch of one statement per row:
     * {@code UPDATE message SET status = ?, <assignments> WHERE <from> AND <key> = ?}.
     */
    public RowChanges eachRow(String assignments, String key) {
        return new RowChanges(assignments, key);
    }

    /** Spares the callback statement for messages the caller knows have no callback URL. */
    public StatusBatch callbacksOnlyFor(Predicate<Long> wants) {
        this.wantsCallback = wants;
        return this;
    }

    /** Writes the events, callbacks and dead letters of every change made; call once, after them all. */
    public void finish() throws SQLException {
        effects.write(c, node, wantsCallback);
    }

    /** One batch of single-row changes that share their SQL: their transitions leave the same statuses. */
    public final class RowChanges {
        private record Row(MessageTransition transition, Object key, Collection<Long> ids, String reason, Object[] values) {}

        private final String assignments;
        private final String key;
        private final List<Row> rows = new ArrayList<>();
        private Set<MessageStatus> from;

        private RowChanges(String assignments, String key) {
            this.assignments = assignments;
            this.key = key;
        }

        /** One message's change, bound to the assignments' {@code values}. */
        public RowChanges add(MessageTransition transition, long id, String reason, Object... values) {
            return addRows(transition, id, List.of(id), reason, values);
        }

        /** The change of every message whose {@code key} column holds {@code keyValue}; they are {@code ids}. */
        public RowChanges addRows(MessageTransition transition, Object keyValue, Collection<Long> ids, String reason,
                                  Object... values) {
            if (from != null && !from.equals(transition.from())) {
                throw new IllegalArgumentException(transition + " leaves other statuses than " + from + "; use another batch");
            }
            from = transition.from();
            rows.add(new Row(transition, keyValue, ids, reason, values));
            return this;
        }

        /** Runs the batch; a row the guard does not match is an illegal transition and throws. */
        public void execute() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE message SET status = ?, " + assignments
                    + ", updated_at = NOW(3) WHERE " + StatusSql.in("status", from) + " AND " + key + " = ?")) {
                for (Row row : rows) {
                    int index = 1;
                    update.setString(index++, row.transition().to().wireName());
                    for (Object value : row.values()) {
                        update.setObject(index++, value);
                    }
                    update.setObject(index, row.key());
                    update.addBatch();
                }
                check(update.executeBatch());
            }
            for (Row row : rows) {
                row.ids().forEach(id -> effects.add(row.transition(), id, row.reason()));
            }
        }

        private void check(int[] counts) {
            for (int i = 0; i < counts.length; i++) {
                Row row = rows.get(i);
                if (counts[i] != row.ids().size()) {
                    throw new IllegalStateException("illegal transition " + row.transition() + ": " + key + " " + row.key()
                            + " matched " + counts[i] + " of " + row.ids().size() + " message(s) in " + StatusSql.in("status", from));
                }
            }
        }
    }
}
