package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.db.SqlFunction;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusSql;
import io.herald.master.api.EventList;
import io.herald.master.api.EventView;
import io.herald.master.api.MessageView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Messages as the API sees them: batched inserts with idempotency keys, reads, operator requeues. */
public final class MessageStore {
    /** Ids per statement for requeues and batched reads. */
    private static final int CHUNK = 1_000;

    private final Database database;
    private final String nodeId;
    private final Submission submission;

    public MessageStore(Database database, String nodeId) {
        this.database = database;
        this.nodeId = nodeId;
        this.submission = new Submission(nodeId);
    }

    /**
     * Stores messages in one transaction and answers one result per message, in order. A message whose
     * idempotency key its application has used before is not stored; its result is the first message's.
     * Keys compare byte for byte. The same key with different content is refused with 409, naming the
     * first message (Stripe's rule), within a batch too. Every message stored keeps {@code traceparent}
     * (the request's, checked; null for none).
     */
    public List<SubmitResult> submit(List<NewMessage> messages, String prefixFormat, String traceparent) throws SQLException {
        try {
            return database.inTransaction(c -> submission.store(c, messages, prefixFormat, traceparent));
        } catch (SQLException e) {
            if (!Sql.isDuplicateKey(e)) {
                throw e;
            }
        }
        // A concurrent request stored one of our keys after we looked: look again, once.
        try {
            return database.inTransaction(c -> submission.store(c, messages, prefixFormat, traceparent));
        } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) {
                throw InvalidRequestException.of(409, "idempotencyKey", "is being used by concurrent requests; retry this one");
            }
            throw e;
        }
    }

    /** The message with this id, if it belongs to {@code application}. */
    public Optional<MessageView> find(String application, long id) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    VIEW_COLUMNS + " WHERE id = ? AND application = ?")) {
                select.setLong(1, id);
                select.setString(2, application);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(view(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The messages with these ids, in one query per 1,000 ids, whatever their application: for callers
     * that already checked the application (the status waiter). Ids that do not exist are left out.
     */
    public Map<Long, MessageView> findAll(List<Long> ids) throws SQLException {
        Map<Long, MessageView> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            database.withConnection(c -> {
                try (PreparedStatement select = c.prepareStatement(VIEW_COLUMNS + " WHERE id IN (" + Sql.placeholders(chunk.size()) + ")")) {
                    Sql.bindLongs(select, 1, chunk);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getLong(1), view(rs));
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    private static final String VIEW_COLUMNS = "SELECT id, " + StatusSql.REPORTED
            + ", attempts, ambiguous_attempts, created_at, " + StatusSql.SENT_AT + ", last_error, digest_id, send_at, dry_run FROM message";

    private static MessageView view(ResultSet rs) throws SQLException {
        return new MessageView(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                String.valueOf(Sql.instant(rs.getTimestamp(5))), iso(rs.getTimestamp(6)), rs.getString(7),
                rs.getObject(8, Long.class), iso(rs.getTimestamp(9)), rs.getBoolean(10));
    }

    private static String iso(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }

    /** The audit trail of one message, oldest first; empty when the application has no such message. */
    public Optional<EventList> events(String application, long id) throws SQLException {
        return database.withConnection(c -> {
            Optional<Boolean> dryRun = dryRun(c, application, id);
            if (dryRun.isEmpty()) {
                return Optional.empty();
            }
            List<EventView> events = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT status, created_at, node, reason FROM message_event WHERE message_id = ? ORDER BY id")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        events.add(new EventView(rs.getString(1), iso(rs.getTimestamp(2)), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return Optional.of(new EventList(id, dryRun.get(), events));
        });
    }

    /** Whether the application's message is a dry run; empty when it has no such message. */
    private static Optional<Boolean> dryRun(Connection c, String application, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT dry_run FROM message WHERE id = ? AND application = ?")) {
            select.setLong(1, id);
            select.setString(2, application);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /**
     * Puts dead or unknown messages back in the queue with a fresh retry budget. Requeuing an unknown
     * message accepts that it may have been delivered already; the receiver can drop the repeat by its
     * Message-ID or Idempotency-Key.
     *
     * @return how many messages were requeued; ids in another status are left alone
     */
    public int requeue(List<Long> ids) throws SQLException {
        int total = 0;
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            total += requeueLocked(c -> lockRequeueable(c,
                    "id IN (" + Sql.placeholders(chunk.size()) + ")", s -> Sql.bindLongs(s, 1, chunk)));
        }
        return total;
    }

    /** Requeues every message in {@code status} (dead or unknown), in chunks that hold locks briefly. */
    public int requeueAll(MessageStatus status) throws SQLException {
        if (status != MessageStatus.DEAD && status != MessageStatus.UNKNOWN) {
            throw new IllegalArgumentException("only dead or unknown messages can be requeued");
        }
        int total = 0;
        int chunk;
        do {
            chunk = requeueLocked(c -> lockRequeueable(c, "status = ? LIMIT " + CHUNK, s -> {
                s.setString(1, status.wireName());
                return 2;
            }));
            total += chunk;
        } while (chunk == CHUNK);
        return total;
    }

    /** Locks the rows {@code lock} selects and requeues them, with their events, in one transaction. */
    private int requeueLocked(SqlFunction<Connection, List<Long>> lock) throws SQLException {
        return database.inTransaction(c -> {
            List<Long> ids = lock.apply(c);
            DeadLetterStore.requeueLocked(c, nodeId, ids, "requeued by an operator with a fresh retry budget");
            return ids.size();
        });
    }

    private static List<Long> lockRequeueable(Connection c, String condition, SqlFunction<PreparedStatement, Integer> bind)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM message WHERE " + StatusSql.in("status", MessageTransition.REQUEUE.from()) + " AND " + condition + " FOR UPDATE")) {
            bind.apply(select);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
