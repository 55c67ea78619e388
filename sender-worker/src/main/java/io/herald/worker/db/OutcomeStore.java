package io.herald.worker.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusBatch;
import io.herald.common.transition.StatusChange;
import io.herald.common.transition.StatusSql;
import io.herald.worker.core.Outcome;
import io.herald.worker.core.OutcomeWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes outcomes in one transaction per batch, through the transitions module. An outcome applies only to
 * the attempt it belongs to, and only while the message is still sending, or unknown because the lease ran
 * out first: the worker's own record is better than the guess. The rows are locked first, so the changes
 * and their audit events agree. Sent outcomes, nearly all of them, go in one statement; retries and
 * failures, which carry their own error and delay, in one batch of single-row statements; the events,
 * callbacks and dead letters of the whole batch in one statement each.
 *
 * @param suppressionTtl how long a target a receiver said is gone stays suppressed; null: until removed
 */
public record OutcomeStore(Database database, String workerId, Duration suppressionTtl) implements OutcomeWriter {
    /** The statuses an outcome may leave: sending, or unknown when the send lease ran out first. */
    private static final String OPEN = StatusSql.in("status", MessageTransition.DELIVER.from());

    /** @return how many outcomes applied; the others belonged to attempts already superseded */
    @Override
    public int record(List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return 0;
        }
        return database.inTransaction(c -> {
            Map<Long, Open> current = lockOpenAttempts(c, outcomes);
            List<Outcome> applicable = outcomes.stream().filter(o -> current.containsKey(o.messageId())).toList();
            // Only messages that asked for a callback cost a statement; a digest's messages are not in current.
            StatusBatch batch = StatusBatch.on(c, workerId).callbacksOnlyFor(id -> !current.containsKey(id) || current.get(id).callback());
            Map<Long, String> sent = new LinkedHashMap<>();
            applicable.stream().filter(o -> o.transition() == MessageTransition.DELIVER)
                    .forEach(o -> sent.put(o.messageId(), OutcomeReasons.of(o, current.get(o.messageId()).status())));
            batch.change(StatusChange.of(MessageTransition.DELIVER).set("sent_at = NOW(3)").set("last_error = NULL"), sent);
            recordOthers(batch, applicable, current);
            recordFallbacks(batch, applicable, current);
            finishDigests(c, batch, applicable.stream().filter(o -> o.digest() && o.status().isTerminal()).toList());
            batch.finish();
            TargetsGone.suppress(c, applicable.stream().filter(Outcome::suppressTarget).toList(), suppressionTtl);
            return applicable.size();
        });
    }

    /** A message still open for an outcome: its current status, and whether it wants a callback. */
    private record Open(String status, boolean callback) {}

    /** Locks the outcomes' messages still open for the outcome's attempt. */
    private static Map<Long, Open> lockOpenAttempts(Connection c, List<Outcome> outcomes) throws SQLException {
        Map<Long, Open> open = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, status, callback_url IS NOT NULL FROM message WHERE (id, attempts) IN ("
                        + Sql.pairPlaceholders(outcomes.size()) + ") AND " + OPEN + " FOR UPDATE")) {
            int p = 1;
            for (Outcome o : outcomes) {
                select.setLong(p++, o.messageId());
                select.setInt(p++, o.attempt());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    open.put(rs.getLong(1), new Open(rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return open;
    }

    /** Retries and dead letters, each with its own error and delay. */
    private static void recordOthers(StatusBatch batch, List<Outcome> applicable, Map<Long, Open> current) throws SQLException {
        StatusBatch.RowChanges others = batch.eachRow("last_error = ?, next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                + " ambiguous_attempts = ambiguous_attempts + ?, retry_base = retry_base + ?", "id");
        for (Outcome o : applicable) {
            if (o.transition() == MessageTransition.RETRY || o.transition() == MessageTransition.FAIL) {
                // Not attempted: the attempt number moves on (its dedup key is used), the budget does not.
                others.add(o.transition(), o.messageId(), OutcomeReasons.of(o, current.get(o.messageId()).status()),
                        SqlValues.truncate(o.error()), SqlValues.saturatedMicros(o.retryDelay()), o.ambiguous() ? 1 : 0,
                        o.notAttempted() ? 1 : 0);
            }
        }
        others.execute();
    }

    /**
     * Sends the message again, at once and with a fresh retry budget, through its application's fallback.
     * The original channel and target are kept, and a message falls back only once.
     */
    private static void recordFallbacks(StatusBatch batch, List<Outcome> applicable, Map<Long, Open> current) throws SQLException {
        // Assignments run left to right in MySQL and MariaDB: keep the originals before replacing them.
        StatusBatch.RowChanges fallbacks = batch.eachRow("original_channel = channel, original_target = target, channel = ?,"
                + " target = ?, retry_base = attempts, last_error = ?, next_attempt_at = NOW(3),"
                + " ambiguous_attempts = ambiguous_attempts + ?", "id");
        for (Outcome o : applicable) {
            if (o.isFallback()) {
                fallbacks.add(MessageTransition.FALL_BACK, o.messageId(), OutcomeReasons.of(o, current.get(o.messageId()).status()),
                        o.fallback().channel().wireName(), o.fallback().target(), SqlValues.truncate(o.error()), o.ambiguous() ? 1 : 0);
            }
        }
        fallbacks.execute();
    }

    /**
     * The messages held for a digest that has reached its final outcome take it, with a reference to it. A
     * failed digest's messages are dead letters like any: listed, and requeued one by one if wanted; each
     * that asked for a callback gets its own.
     */
    private static void finishDigests(Connection c, StatusBatch batch, List<Outcome> digests) throws SQLException {
        if (digests.isEmpty()) {
            return;
        }
        Map<Long, List<Long>> members = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT digest_id, id FROM message WHERE "
                + StatusSql.is(MessageStatus.DIGESTED) + " AND digest_id IN (" + Sql.placeholders(digests.size()) + ") FOR UPDATE")) {
            Sql.bindLongs(select, 1, digests.stream().map(Outcome::messageId).toList());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    members.computeIfAbsent(rs.getLong(1), d -> new ArrayList<>()).add(rs.getLong(2));
                }
            }
        }
        StatusBatch.RowChanges held = batch.eachRow("sent_at = IF(?, NOW(3), sent_at), last_error = ?", "digest_id");
        for (Outcome o : digests) {
            boolean sent = o.status() == MessageStatus.SENT;
            String error = o.error() == null ? null : SqlValues.truncate("digest " + o.messageId() + " failed: " + o.error());
            held.addRows(sent ? MessageTransition.DIGEST_DELIVERED : MessageTransition.DIGEST_FAILED, o.messageId(),
                    members.getOrDefault(o.messageId(), List.of()), error == null ? "sent in digest " + o.messageId() : error,
                    sent, error);
        }
        held.execute();
    }
}
