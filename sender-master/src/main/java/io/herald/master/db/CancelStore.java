package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusChange;
import io.herald.common.transition.StatusSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An application cancels its own messages while they are queued (scheduled ones included). Race-safe
 * against the leader's fenced claim by locking: a cancel locks the row ({@code SELECT ... FOR UPDATE}) and
 * changes it only if it is still queued; the claim's {@code FOR UPDATE SKIP LOCKED} passes over a row a
 * cancel holds, and a cancel that waits behind the claim's lock reads the row as the claim left it,
 * dispatched, and changes nothing. So a message is either cancelled or dispatched, never both.
 */
public record CancelStore(Database database, String nodeId) {
    /** Messages per transaction of a cancel by key: no transaction holds more row locks than this. */
    static final int CHUNK = 500;
    private static final String REASON = "cancelled by its application";

    /** The message's status after the call: {@code cancelled}, or the status that kept it from being cancelled. */
    public record Outcome(long id, String status) {
        public boolean cancelled() {
            return MessageStatus.CANCELLED.wireName().equals(status);
        }
    }

    /** Cancels one message of {@code application}; empty if it has no such message. */
    public Optional<Outcome> cancel(String application, long id) throws SQLException {
        return database.inTransaction(c -> {
            Optional<String> status = lockedStatus(c, application, id);
            if (status.flatMap(MessageStatus::find).filter(MessageTransition.CANCEL.from()::contains).isPresent()) {
                StatusChange.of(MessageTransition.CANCEL).apply(c, nodeId, REASON + " (DELETE /v1/messages/" + id + ")", List.of(id));
                return Optional.of(new Outcome(id, MessageStatus.CANCELLED.wireName()));
            }
            return status.map(s -> new Outcome(id, s));
        });
    }

    /**
     * Cancels every queued message of {@code application} with this cancel key, in transactions of
     * {@value #CHUNK}, walking the key's messages by id. A message submitted with the key while the walk
     * runs is cancelled if the walk has not passed its id yet.
     *
     * @return how many were cancelled
     */
    public int cancelByKey(String application, String cancelKey) throws SQLException {
        int cancelled = 0;
        long after = 0;
        List<Long> chunk;
        do {
            chunk = keyed(application, cancelKey, after);
            if (!chunk.isEmpty()) {
                List<Long> ids = chunk;
                cancelled += database.inTransaction(c -> cancelQueued(c, ids, REASON + " by its cancelKey"));
                after = chunk.get(chunk.size() - 1);
            }
        } while (chunk.size() == CHUNK);
        return cancelled;
    }

    /** A walk's result: messages it cancelled, and messages it found but left (held by a worker, or final). */
    public record Walk(long cancelled, long left) {}

    /**
     * Cancels every queued message of {@code application} whose idempotency key lies in [{@code from}, {@code to}),
     * in transactions of {@value #CHUNK}, walking the unique key on (application, idempotency_key), so each
     * step reads one bounded range of the index.
     */
    Walk cancelKeyRange(String application, byte[] from, byte[] to, String reason) throws SQLException {
        long cancelled = 0;
        long found = 0;
        byte[] after = null;
        List<Long> chunk;
        do {
            List<Long> ids = new ArrayList<>(CHUNK);
            after = keyRange(application, after == null ? from : after, after != null, to, ids);
            chunk = ids;
            found += ids.size();
            if (!ids.isEmpty()) {
                cancelled += database.inTransaction(c -> cancelQueued(c, ids, reason));
            }
        } while (chunk.size() == CHUNK);
        return new Walk(cancelled, found - cancelled);
    }

    /** Adds the next ids in the key range to {@code ids}, whatever their status (no lock); returns the last key read. */
    private byte[] keyRange(String application, byte[] start, boolean pastStart, byte[] end, List<Long> ids) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, idempotency_key FROM message WHERE application = ?"
                    + " AND idempotency_key " + (pastStart ? ">" : ">=") + " ? AND idempotency_key < ? ORDER BY idempotency_key LIMIT " + CHUNK)) {
                select.setString(1, application);
                select.setBytes(2, start);
                select.setBytes(3, end);
                byte[] last = start;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        last = rs.getBytes(2);
                    }
                }
                return last;
            }
        });
    }

    private Optional<String> lockedStatus(Connection c, String application, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT status FROM message WHERE id = ? AND application = ? FOR UPDATE")) {
            select.setLong(1, id);
            select.setString(2, application);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The next ids with the key after {@code after}, whatever their status: a read of the index range, no lock. */
    private List<Long> keyed(String application, String cancelKey, long after) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id FROM message WHERE application = ? AND cancel_key = ? AND id > ? ORDER BY id LIMIT " + CHUNK)) {
                select.setString(1, application);
                select.setBytes(2, IdempotencyHash.keyBytes(cancelKey));
                select.setLong(3, after);
                return ids(select);
            }
        });
    }

    /** Locks those of {@code ids} still queued and cancels them. */
    private int cancelQueued(Connection c, List<Long> ids, String reason) throws SQLException {
        List<Long> queued;
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM message WHERE id IN (" + Sql.placeholders(ids.size())
                + ") AND " + StatusSql.in("status", MessageTransition.CANCEL.from()) + " FOR UPDATE")) {
            Sql.bindLongs(select, 1, ids);
            queued = ids(select);
        }
        StatusChange.of(MessageTransition.CANCEL).apply(c, nodeId, reason, queued);
        return queued.size();
    }

    private static List<Long> ids(PreparedStatement select) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
