package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.master.api.FanoutResult;
import io.herald.master.api.FanoutView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fan-outs as the API sees them: a message sent to a topic is stored as one {@code fanout} row (the
 * parent), which the leader's loop turns into one message per subscriber ({@link FanoutChunks}); its
 * progress is counted from those messages. The parent's idempotency key covers the whole fan-out.
 */
public record FanoutStore(Database database) {
    static final String CREATING = "creating";
    static final String SENDING = "sending";
    static final String DONE = "done";
    /** Stopped by its application ({@link FanoutCancels}): no further chunk, its unsent messages cancelled. */
    static final String CANCELLED = "cancelled";

    /**
     * Stores the fan-out of {@code template} (a message without a target) to the subscribers {@code topic} has on
     * the template's channel now. A key used before answers that fan-out ({@code duplicate}); with other content, 409.
     */
    public FanoutResult submit(NewMessage template, String topic, String traceparent) throws SQLException {
        try {
            return database.inTransaction(c -> store(c, template, topic, traceparent));
        } catch (SQLException e) {
            if (!Sql.isDuplicateKey(e)) {
                throw e;
            }
        }
        // A concurrent request stored the same key after we looked: this time we find it.
        return database.inTransaction(c -> store(c, template, topic, traceparent));
    }

    private static FanoutResult store(Connection c, NewMessage m, String topic, String traceparent) throws SQLException {
        byte[] hash = hash(m, topic);
        if (m.idempotencyKey() != null) {
            Optional<FanoutResult> first = byKey(c, m.application(), m.idempotencyKey(), hash);
            if (first.isPresent()) {
                return first.get();
            }
        }
        if (!Topics.exists(c, m.application(), topic, false)) {
            throw InvalidRequestException.of(400, "topic", "no topic '" + topic + "'; create it with PUT /v1/topics/" + topic);
        }
        long max;
        long total;
        try (PreparedStatement select = c.prepareStatement("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM topic_subscriber"
                + " WHERE application = ? AND topic = ? AND channel = ?")) {
            select.setString(1, m.application());
            select.setString(2, topic);
            select.setString(3, m.channel().wireName());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                max = rs.getLong(1);
                total = rs.getLong(2);
            }
        }
        String state = total == 0 ? DONE : CREATING;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO fanout (application, topic, channel, state, subject, body,"
                + " priority, template_name, template_context, callback_url, send_at, cancel_key, category, critical, traceparent,"
                + " idempotency_key, idempotency_hash, max_subscriber_id, total, dry_run, counted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " FROM_UNIXTIME(? / 1000), ?, ?, ?, ?, ?, ?, ?, ?, ?, " + (total == 0 ? "NOW(3)" : "NULL") + ")",
                Statement.RETURN_GENERATED_KEYS)) {
            int p = 1;
            insert.setString(p++, m.application());
            insert.setString(p++, topic);
            insert.setString(p++, m.channel().wireName());
            insert.setString(p++, state);
            insert.setString(p++, m.subject());
            insert.setString(p++, m.body());
            insert.setInt(p++, m.priority().rank());
            insert.setString(p++, m.template());
            insert.setString(p++, m.templateContext());
            insert.setString(p++, m.callbackUrl());
            insert.setObject(p++, m.sendAt() == null ? null : m.sendAt().toEpochMilli(), Types.BIGINT);
            insert.setString(p++, m.cancelKey());
            insert.setString(p++, m.audience().category());
            insert.setInt(p++, m.audience().critical() ? 1 : 0);
            insert.setString(p++, traceparent);
            insert.setBytes(p++, m.idempotencyKey() == null ? null : IdempotencyHash.keyBytes(m.idempotencyKey()));
            insert.setBytes(p++, m.idempotencyKey() == null ? null : hash);
            insert.setLong(p++, max);
            insert.setLong(p++, total);
            insert.setInt(p, m.dryRun() ? 1 : 0);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new FanoutResult(keys.getLong(1), state, total, false);
            }
        }
    }

    private static Optional<FanoutResult> byKey(Connection c, String application, String key, byte[] hash) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id, state, total, idempotency_hash FROM fanout"
                + " WHERE application = ? AND idempotency_key = ?")) {
            select.setString(1, application);
            select.setBytes(2, IdempotencyHash.keyBytes(key));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!java.util.Arrays.equals(hash, rs.getBytes(4))) {
                    throw InvalidRequestException.of(409, "idempotencyKey", "was used for fan-out " + rs.getLong(1)
                            + " with different content; use a new key for a new message");
                }
                return Optional.of(new FanoutResult(rs.getLong(1), rs.getString(2), rs.getLong(3), true));
            }
        }
    }

    /** What the fan-out asks for: the message's content and the topic in place of its target. */
    private static byte[] hash(NewMessage m, String topic) {
        return IdempotencyHash.of(new NewMessage(m.application(), m.channel(), "topic\u0000" + topic, m.subject(), m.body(), m.priority(),
                m.idempotencyKey(), m.template(), m.templateContext(), m.callbackUrl(), m.sendAt(), m.cancelKey(), m.audience()));
    }

    /**
     * The fan-out with this id, if it is {@code application}'s. Its counts are read again from its messages
     * when the last count is older than a second plus a second per 100,000 messages (so polling a big
     * fan-out costs the database a bounded share), and frozen once every message is final ({@code done}).
     */
    public Optional<FanoutView> find(String application, long id) throws SQLException {
        return database.withConnection(c -> {
            Optional<FanoutView> view = read(c, application, id);
            if (view.isEmpty() || view.get().state().equals(DONE) || isFresh(c, id)) {
                return view;
            }
            recount(c, application, id);
            return read(c, application, id);
        });
    }

    private static Optional<FanoutView> read(Connection c, String application, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT topic, channel, state, total, created, sent, suppressed, dead,"
                + " cancelled, rejected, created_at, counted_at FROM fanout WHERE id = ? AND application = ?")) {
            select.setLong(1, id);
            select.setString(2, application);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                java.sql.Timestamp counted = rs.getTimestamp(12);
                return Optional.of(new FanoutView(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getTimestamp(11).toInstant().toString(),
                        counted == null ? null : counted.toInstant().toString()));
            }
        }
    }

    private static boolean isFresh(Connection c, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT counted_at > TIMESTAMPADD(MICROSECOND, -(1000000 + created * 10), NOW(3))"
                + " FROM fanout WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Counts the fan-out's messages by status, along the unique key of their reserved idempotency keys (one
     * range), and stores the counts. It becomes {@code done} when every message is created and final: the
     * guard on {@code created} keeps a count taken before the last chunk from ending it early.
     *
     * @return how many of its messages are not final yet
     */
    static long recount(Connection c, String application, long id) throws SQLException {
        Map<MessageStatus, Long> counts = new EnumMap<>(MessageStatus.class);
        try (PreparedStatement select = c.prepareStatement("SELECT status, COUNT(*) FROM message WHERE application = ?"
                + " AND idempotency_key >= ? AND idempotency_key < ? GROUP BY status")) {
            select.setString(1, application);
            select.setBytes(2, childKeyPrefix(id));
            select.setBytes(3, childKeyEnd(id));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Optional<MessageStatus> status = MessageStatus.find(rs.getString(1));
                    if (status.isPresent()) {
                        counts.merge(status.get(), rs.getLong(2), Long::sum);
                    }
                }
            }
        }
        long all = counts.values().stream().mapToLong(Long::longValue).sum();
        long open = counts.entrySet().stream().filter(e -> !e.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
        try (PreparedStatement update = c.prepareStatement("UPDATE fanout SET sent = ?, suppressed = ?, dead = ?, cancelled = ?,"
                + " rejected = ?, counted_at = NOW(3), updated_at = NOW(3), state = CASE WHEN state = ? AND created = ? AND ? = 0 THEN ?"
                + " ELSE state END WHERE id = ?")) {
            Sql.bind(update, counts.getOrDefault(MessageStatus.SENT, 0L),
                    counts.getOrDefault(MessageStatus.OPTED_OUT, 0L) + counts.getOrDefault(MessageStatus.SUPPRESSED, 0L),
                    counts.getOrDefault(MessageStatus.DEAD, 0L) + counts.getOrDefault(MessageStatus.PURGED, 0L),
                    counts.getOrDefault(MessageStatus.CANCELLED, 0L),
                    counts.getOrDefault(MessageStatus.REJECTED, 0L),
                    SENDING, all, open, DONE, id);
            update.executeUpdate();
        }
        return open;
    }

    /**
     * The idempotency key of the message for subscriber {@code subscriberId} of fan-out {@code fanoutId}. It starts
     * with NUL, which the API refuses in a key, so no application's own key can take it.
     */
    static String childKey(long fanoutId, long subscriberId) {
        return "\u0000fanout/" + fanoutId + "/" + subscriberId;
    }

    static byte[] childKeyPrefix(long fanoutId) {
        return ("\u0000fanout/" + fanoutId + "/").getBytes(StandardCharsets.UTF_8);
    }

    /** Just past every key with the prefix: '0' follows '/'. */
    static byte[] childKeyEnd(long fanoutId) {
        return ("\u0000fanout/" + fanoutId + "0").getBytes(StandardCharsets.UTF_8);
    }
}
