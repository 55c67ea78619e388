package io.herald.master.db;

import io.herald.common.audit.MessageEvents;
import io.herald.common.model.MessageStatus;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import io.herald.common.db.Sql;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's insert of new messages, in the caller's transaction: one multi-row INSERT and their
 * {@code queued} events. A message with a {@code sendAt} is due then ({@code next_attempt_at}); it is
 * reported {@code scheduled} until then, on the database clock.
 */
final class MessageInsert {
    private static final String SUBMITTED = "submitted through the API";

    private MessageInsert() {}

    /** Inserts {@code messages} at {@code indexes}, each with {@code traceparent} (or null), and fills their {@code results}. */
    static void insert(Connection c, String nodeId, List<NewMessage> messages, List<Integer> indexes, SubmitResult[] results,
                       String traceparent) throws SQLException {
        insert(c, nodeId, messages, indexes, results, traceparent, SUBMITTED);
    }

    /** The same, with {@code source} as the reason of their first event ("submitted through the API", a fan-out). */
    static void insert(Connection c, String nodeId, List<NewMessage> messages, List<Integer> indexes, SubmitResult[] results,
                       String traceparent, String source) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO message (application, channel, target, subject, body, priority, status, idempotency_key,"
                        + " idempotency_hash, template_name, template_context, callback_url, send_at, next_attempt_at,"
                        + " cancel_key, category, critical, recipient_hash, traceparent, recipient, dry_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " FROM_UNIXTIME(? / 1000), COALESCE(FROM_UNIXTIME(? / 1000), NOW(3)), ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Set<String> dryRunning = dryRunning(c, messages, indexes);
            for (int index : indexes) {
                NewMessage m = messages.get(index);
                bind(insert, m);
                insert.setInt(21, m.dryRun() || dryRunning.contains(m.application()) ? 1 : 0);
                setNullableString(insert, 19, traceparent);
                insert.addBatch();
            }
            insert.executeBatch();
            Instant now = anyScheduled(messages, indexes) ? databaseNow(c) : null;
            List<Long> submitted = new ArrayList<>(indexes.size());
            List<Long> scheduled = new ArrayList<>();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                for (int index : indexes) {
                    if (!keys.next()) {
                        throw new SQLException("the driver returned fewer generated ids than rows inserted");
                    }
                    long id = keys.getLong(1);
                    Instant sendAt = messages.get(index).sendAt();
                    (sendAt == null ? submitted : scheduled).add(id);
                    MessageStatus status = sendAt != null && sendAt.isAfter(now) ? MessageStatus.SCHEDULED : MessageStatus.QUEUED;
                    results[index] = new SubmitResult(id, status.wireName(), false);
                }
            }
            MessageEvents.record(c, nodeId, MessageStatus.QUEUED, source, submitted);
            MessageEvents.record(c, nodeId, MessageStatus.QUEUED, source + ", to be sent at its sendAt", scheduled);
        }
    }

    private static void bind(PreparedStatement insert, NewMessage m) throws SQLException {
        insert.setString(1, m.application());
        insert.setString(2, m.channel().wireName());
        insert.setString(3, m.target());
        setNullableString(insert, 4, m.subject());
        setNullableString(insert, 5, m.body());
        insert.setInt(6, m.priority().rank());
        insert.setString(7, MessageStatus.QUEUED.wireName());
        boolean keyed = m.idempotencyKey() != null;
        insert.setBytes(8, keyed ? IdempotencyHash.keyBytes(m.idempotencyKey()) : null);
        insert.setBytes(9, keyed ? IdempotencyHash.of(m) : null);
        setNullableString(insert, 10, m.template());
        setNullableString(insert, 11, m.templateContext());
        setNullableString(insert, 12, m.callbackUrl());
        // Epoch milliseconds, not a Timestamp: Connector/J drops the fraction of a Timestamp on MariaDB, whose
        // version string ("5.5.5-10.11...") it reads as older than fractional seconds.
        Long sendAt = m.sendAt() == null ? null : m.sendAt().toEpochMilli();
        insert.setObject(13, sendAt, Types.BIGINT);
        insert.setObject(14, sendAt, Types.BIGINT);
        insert.setBytes(15, m.cancelKey() == null ? null : IdempotencyHash.keyBytes(m.cancelKey()));
        setNullableString(insert, 16, m.audience().category());
        insert.setInt(17, m.audience().critical() ? 1 : 0);
        insert.setBytes(18, Recipients.hash(m.audience().recipientOf(m.target())));
        // Kept only when given: the worker signs it into the email's unsubscribe link (V103).
        String recipient = m.audience().recipient();
        insert.setBytes(20, recipient == null ? null : recipient.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The applications of these messages whose dry-run setting is on now: one read for the whole insert.
     * (A subquery per row read the policy once per message, and made a batch of 1,000 four times slower.)
     */
    private static Set<String> dryRunning(Connection c, List<NewMessage> messages, List<Integer> indexes) throws SQLException {
        List<String> applications = indexes.stream().map(i -> messages.get(i).application()).distinct().toList();
        Set<String> dryRunning = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT application FROM application_policy WHERE dry_run = 1"
                + " AND application IN (" + Sql.placeholders(applications.size()) + ")")) {
            for (int i = 0; i < applications.size(); i++) {
                select.setString(i + 1, applications.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    dryRunning.add(rs.getString(1));
                }
            }
        }
        return dryRunning;
    }

    private static boolean anyScheduled(List<NewMessage> messages, List<Integer> indexes) {
        return indexes.stream().anyMatch(i -> messages.get(i).sendAt() != null);
    }

    /** The database's now, which decides when a scheduled message becomes due. */
    private static Instant databaseNow(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT NOW(3)"); ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
