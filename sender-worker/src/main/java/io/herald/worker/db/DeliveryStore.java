package io.herald.worker.db;

import io.herald.common.audit.MessageEvents;
import io.herald.common.callback.Callbacks;
import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.Channel;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.Priority;
import io.herald.common.template.TemplateFormat;
import io.herald.common.webhook.RetrySchedule;
import io.herald.worker.core.Outcome;
import io.herald.worker.core.OutcomeWriter;
import io.herald.worker.core.DigestText;
import io.herald.worker.core.OutgoingMessage;
import io.herald.worker.core.TemplateRef;
import io.herald.worker.core.OutgoingMessage.DigestEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A worker's writes. {@link #claim} records one {@code delivery} row per message and attempt before
 * anything is sent; the row's primary key is the dedup key, so of two workers holding the same task
 * exactly one inserts it, and only that one sends. {@link #record} writes outcomes in batches.
 */
public final class DeliveryStore implements OutcomeWriter {
    private static final Duration LONGEST_WAIT = Duration.ofDays(3_650);

    private final Database database;
    private final String workerId;

    public DeliveryStore(Database database, String workerId) {
        this.database = database;
        this.workerId = workerId;
    }

    /**
     * @param mine messages this worker now owns and must send, marked sending
     * @param blocked messages of the task that were not this worker's to send: another worker holds
     *     the same attempt's dedup key, or the message is no longer dispatched (already handled)
     */
    public record Claim(List<OutgoingMessage> mine, int blocked) {}

    /** Claims the dispatched messages among {@code ids}, in one transaction. */
    public Claim claim(List<Long> ids, Duration sendLease) throws SQLException {
        return database.inTransaction(c -> {
            Map<Long, OutgoingMessage> candidates = dispatched(c, ids);
            if (candidates.isEmpty()) {
                return new Claim(List.of(), ids.size());
            }
            String claim = UUID.randomUUID().toString();
            insertDedupKeys(c, candidates.values(), claim);
            Set<Long> won = wonBy(c, candidates.values(), claim);
            List<OutgoingMessage> mine = new ArrayList<>(won.size());
            for (OutgoingMessage m : candidates.values()) {
                if (won.contains(m.id())) {
                    mine.add(m);
                }
            }
            if (!mine.isEmpty()) {
                markSending(c, mine, sendLease);
            }
            return new Claim(mine, ids.size() - mine.size());
        });
    }

    private static Map<Long, OutgoingMessage> dispatched(Connection c, List<Long> ids) throws SQLException {
        List<Row> rows = new ArrayList<>(ids.size());
        Map<Long, String[]> templated = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, application, channel, target, subject, body, priority, created_at, attempts, retry_base,"
                        + " template_name, template_context, is_digest, original_channel IS NULL"
                        + " FROM message WHERE status = 'dispatched' AND id IN (" + Sql.placeholders(ids.size()) + ")"
                        // Locked, so the reaper cannot requeue a row between this read and markSending.
                        + " ORDER BY priority, id FOR UPDATE")) {
            Sql.bindLongs(select, 1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(new OutgoingMessage(rs.getLong(1), rs.getString(2),
                            Channel.fromWire(rs.getString(3)).orElseThrow(), rs.getString(4), rs.getString(5),
                            rs.getString(6), Priority.fromRank(rs.getInt(7)), Sql.instant(rs.getTimestamp(8)),
                            rs.getInt(9) + 1, rs.getInt(10), null, false, null, null, null), rs.getInt(13) != 0, rs.getBoolean(14)));
                    if (rs.getString(11) != null) {
                        templated.put(rs.getLong(1), new String[] {rs.getString(11), rs.getString(12)});
                    }
                }
            }
        }
        Map<String, Policy> policies = policies(c, rows);
        Map<Long, List<DigestEntry>> digests = digestEntries(c, rows);
        Map<Long, OutgoingMessage> found = new LinkedHashMap<>();
        for (Row row : rows) {
            OutgoingMessage m = row.message();
            List<DigestEntry> entries = row.digest() ? digests.getOrDefault(m.id(), List.of()) : null;
            Policy policy = policies.getOrDefault(m.application(), Policy.NONE);
            found.put(m.id(), new OutgoingMessage(m.id(), m.application(), m.channel(), m.target(),
                    entries == null ? m.subject() : DigestText.subject(m.application(), entries.size()),
                    entries == null ? m.body() : DigestText.body(m.application(), entries),
                    m.priority(), m.createdAt(), m.attempt(), m.retryBase(), null, false, entries,
                    row.mayFallBack() ? policy.fallback() : null, policy.retrySchedule()));
        }
        if (!templated.isEmpty()) {
            attachTemplates(c, found, templated);
        }
        return found;
    }

    /**
     * Reads the templates the claimed messages name, in one query, and attaches them. Kept apart from
     * the locking read above: a join there would lock template rows as well.
     */
    private static void attachTemplates(Connection c, Map<Long, OutgoingMessage> found, Map<Long, String[]> templated)
            throws SQLException {
        Map<List<String>, String[]> sources = new HashMap<>();
        Set<List<String>> keys = new HashSet<>();
        templated.forEach((id, t) -> keys.add(templateKey(found.get(id), t[0])));
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application, channel, name, subject_template, body_template, body_format FROM template"
                        + " WHERE (application, channel, name) IN (" + Sql.tuplePlaceholders(keys.size(), 3) + ")")) {
            int p = 1;
            for (List<String> key : keys) {
                for (String part : key) {
                    select.setString(p++, part);
                }
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sources.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new String[] {rs.getString(4), rs.getString(5), rs.getString(6)});
                }
            }
        }
        templated.forEach((id, t) -> {
            OutgoingMessage m = found.get(id);
            String[] source = sources.getOrDefault(templateKey(m, t[0]), new String[3]);
            TemplateRef ref = new TemplateRef(t[0], t[1], source[0], source[1],
                    source[2] == null ? null : TemplateFormat.fromWire(source[2]).orElseThrow());
            found.put(id, new OutgoingMessage(m.id(), m.application(), m.channel(), m.target(), m.subject(), m.body(),
                    m.priority(), m.createdAt(), m.attempt(), m.retryBase(), ref, false, m.digest(), m.fallback(), m.retrySchedule()));
        });
    }

    private static List<String> templateKey(OutgoingMessage m, String name) {
        return List.of(m.application(), m.channel().wireName(), name);
    }

    /** A claimed row before its digest entries and fallback are attached. */
    private record Row(OutgoingMessage message, boolean digest, boolean mayFallBack) {}

    /** An application's delivery policy as a worker needs it: its fallback and its own retry schedule, each or both null. */
    private record Policy(OutgoingMessage.Fallback fallback, RetrySchedule retrySchedule) {
        static final Policy NONE = new Policy(null, null);
    }

    /** Each application's policy, if set; read without a lock so workers never queue on a policy row. */
    private static Map<String, Policy> policies(Connection c, List<Row> rows) throws SQLException {
        List<String> applications = rows.stream().map(r -> r.message().application()).distinct().toList();
        Map<String, Policy> policies = new HashMap<>();
        if (applications.isEmpty()) {
            return policies;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application, fallback_channel, fallback_target, retry_schedule FROM application_policy"
                        + " WHERE (fallback_channel IS NOT NULL OR retry_schedule IS NOT NULL)"
                        + " AND application IN (" + Sql.placeholders(applications.size()) + ")")) {
            for (int i = 0; i < applications.size(); i++) {
                select.setString(1 + i, applications.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Optional<Channel> channel = rs.getString(2) == null ? Optional.empty() : Channel.fromWire(rs.getString(2));
                    OutgoingMessage.Fallback fallback = channel.isPresent() ? new OutgoingMessage.Fallback(channel.get(), rs.getString(3)) : null;
                    policies.put(rs.getString(1), new Policy(fallback, schedule(rs.getString(4))));
                }
            }
        }
        return policies;
    }

    /** The stored schedule; app-retry-schedule only stores valid ones, so one that does not parse was edited by hand. */
    private static RetrySchedule schedule(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return RetrySchedule.parse(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("application_policy.retry_schedule '" + stored + "' is not a schedule: " + e.getMessage(), e);
        }
    }

    /** The messages each digest among {@code rows} holds, oldest first. */
    private static Map<Long, List<DigestEntry>> digestEntries(Connection c, List<Row> rows) throws SQLException {
        List<Long> digestIds = rows.stream().filter(Row::digest).map(r -> r.message().id()).toList();
        Map<Long, List<DigestEntry>> entries = new HashMap<>();
        if (digestIds.isEmpty()) {
            return entries;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT digest_id, id, subject, body, priority, created_at FROM message"
                        + " WHERE status = 'digested' AND digest_id IN (" + Sql.placeholders(digestIds.size()) + ") ORDER BY digest_id, id")) {
            Sql.bindLongs(select, 1, digestIds);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.computeIfAbsent(rs.getLong(1), d -> new ArrayList<>()).add(new DigestEntry(rs.getLong(2),
                            rs.getString(3), rs.getString(4), Priority.fromRank(rs.getInt(5)), Sql.instant(rs.getTimestamp(6))));
                }
            }
        }
        return entries;
    }

    private void insertDedupKeys(Connection c, Iterable<OutgoingMessage> messages, String claim) throws SQLException {
        // Sorted keys (by id) keep concurrent claimers of the same task from deadlocking on each other.
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT IGNORE INTO delivery (dedup_key, message_id, attempt, worker, claim) VALUES (?, ?, ?, ?, ?)")) {
            List<OutgoingMessage> sorted = new ArrayList<>();
            messages.forEach(sorted::add);
            sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
            for (OutgoingMessage m : sorted) {
                insert.setString(1, OutgoingMessage.attemptKey(m.id(), m.attempt()));
                insert.setLong(2, m.id());
                insert.setInt(3, m.attempt());
                insert.setString(4, workerId);
                insert.setString(5, claim);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Which of {@code messages}' dedup keys this claim inserted. Read through the primary key, so the
     * claim column needs no index of its own (one index entry fewer written per message).
     */
    private static Set<Long> wonBy(Connection c, Collection<OutgoingMessage> messages, String claim) throws SQLException {
        Set<Long> won = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT message_id FROM delivery WHERE claim = ? AND dedup_key IN ("
                + Sql.placeholders(messages.size()) + ")")) {
            select.setString(1, claim);
            int p = 2;
            for (OutgoingMessage m : messages) {
                select.setString(p++, OutgoingMessage.attemptKey(m.id(), m.attempt()));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    won.add(rs.getLong(1));
                }
            }
        }
        return won;
    }

    private void markSending(Connection c, List<OutgoingMessage> mine, Duration sendLease) throws SQLException {
        List<Long> ids = mine.stream().map(OutgoingMessage::id).toList();
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE message SET status = 'sending', attempts = attempts + 1, updated_at = NOW(3),"
                        // A sending message's due time is when its send lease lapses (the reaper's read).
                        + " next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                        + " WHERE status = 'dispatched' AND id IN (" + Sql.placeholders(ids.size()) + ")")) {
            update.setLong(1, sendLease.toNanos() / 1_000);
            Sql.bindLongs(update, 2, ids);
            update.executeUpdate();
        }
        MessageEvents.record(c, workerId, mine.stream()
                .map(m -> new MessageEvents.Event(m.id(), MessageStatus.SENDING, "claimed by a worker for attempt " + m.attempt()))
                .toList());
    }

    /**
     * Writes outcomes in one transaction. An outcome applies only to the attempt it belongs to, and
     * only while the message is still sending, or unknown because the lease ran out first: the
     * worker's own record is better than the guess. The rows are locked first, so the changes and
     * their audit events agree. Sent outcomes, nearly all of them, go in one statement; retries and
     * failures, which carry their own error and delay, in one batch of single-row statements.
     *
     * @return how many outcomes applied; the others belonged to attempts already superseded
     */
    @Override
    public int record(List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return 0;
        }
        return database.inTransaction(c -> {
            Map<Long, Open> current = lockOpenAttempts(c, outcomes);
            List<Outcome> applicable = outcomes.stream().filter(o -> current.containsKey(o.messageId())).toList();
            recordSent(c, applicable.stream().filter(o -> o.status() == MessageStatus.SENT).map(Outcome::messageId).toList());
            recordOthers(c, applicable.stream().filter(o -> o.status() != MessageStatus.SENT && !o.isFallback()).toList());
            recordFallbacks(c, applicable.stream().filter(Outcome::isFallback).toList());
            recordDeadLetters(c, applicable.stream().filter(o -> o.status() == MessageStatus.DEAD).map(Outcome::messageId).toList());
            MessageEvents.record(c, workerId, applicable.stream().map(o -> event(o, current.get(o.messageId()).status())).toList());
            finishDigests(c, applicable.stream().filter(o -> o.digest() && o.status().isTerminal()).toList());
            // Only messages that asked for a callback cost a statement, and only when one finished.
            Callbacks.enqueue(c, applicable.stream()
                    .filter(o -> o.status().isTerminal() && current.get(o.messageId()).callback())
                    .map(Outcome::messageId).toList());
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
                        + Sql.pairPlaceholders(outcomes.size()) + ") AND status IN ('sending', 'unknown') FOR UPDATE")) {
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

    private static void recordSent(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE message SET status = 'sent', sent_at = NOW(3), last_error = NULL,"
                        + " updated_at = NOW(3) WHERE id IN (" + Sql.placeholders(ids.size()) + ")")) {
            Sql.bindLongs(update, 1, ids);
            update.executeUpdate();
        }
    }

    private static void recordOthers(Connection c, List<Outcome> others) throws SQLException {
        if (others.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE message SET status = ?, last_error = ?, next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                        + " updated_at = NOW(3), ambiguous_attempts = ambiguous_attempts + ?,"
                        + " retry_base = retry_base + ? WHERE id = ?")) {
            for (Outcome o : others) {
                update.setString(1, o.status().wireName());
                update.setString(2, o.error() == null ? null : truncate(o.error()));
                update.setLong(3, saturatedMicros(o.retryDelay()));
                update.setInt(4, o.ambiguous() ? 1 : 0);
                // Not attempted: the attempt number moves on (its dedup key is used), the budget does not.
                update.setInt(5, o.notAttempted() ? 1 : 0);
                update.setLong(6, o.messageId());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static void recordDeadLetters(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        // A dead_letter row exists exactly while its message is dead, so none should be there yet; if
        // one is, refreshing it is better than failing the whole outcome batch again and again.
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO dead_letter (message_id, application, dead_at) SELECT id, application, NOW(3) FROM message"
                        + " WHERE id IN (" + Sql.placeholders(ids.size()) + ") ON DUPLICATE KEY UPDATE dead_at = NOW(3)")) {
            Sql.bindLongs(insert, 1, ids);
            insert.executeUpdate();
        }
    }

    /**
     * Sends the message again, at once and with a fresh retry budget, through its application's fallback.
     * The original channel and target are kept, and a message falls back only once.
     */
    private static void recordFallbacks(Connection c, List<Outcome> fallbacks) throws SQLException {
        if (fallbacks.isEmpty()) {
            return;
        }
        // Assignments run left to right in MySQL and MariaDB: keep the originals before replacing them.
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE message SET original_channel = channel, original_target = target, channel = ?, target = ?,"
                        + " status = 'queued', retry_base = attempts, last_error = ?, next_attempt_at = NOW(3),"
                        + " updated_at = NOW(3), ambiguous_attempts = ambiguous_attempts + ? WHERE id = ?")) {
            for (Outcome o : fallbacks) {
                update.setString(1, o.fallback().channel().wireName());
                update.setString(2, o.fallback().target());
                update.setString(3, truncate(o.error()));
                update.setInt(4, o.ambiguous() ? 1 : 0);
                update.setLong(5, o.messageId());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** The messages held for a digest that has reached its final outcome take it, with a reference to it. */
    private void finishDigests(Connection c, List<Outcome> digests) throws SQLException {
        if (digests.isEmpty()) {
            return;
        }
        Map<Long, List<Long>> members = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT digest_id, id FROM message WHERE status = 'digested' AND digest_id IN ("
                        + Sql.placeholders(digests.size()) + ") FOR UPDATE")) {
            Sql.bindLongs(select, 1, digests.stream().map(Outcome::messageId).toList());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    members.computeIfAbsent(rs.getLong(1), d -> new ArrayList<>()).add(rs.getLong(2));
                }
            }
        }
        List<MessageEvents.Event> events = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE message SET status = ?, sent_at = IF(? = 'sent', NOW(3), NULL), last_error = ?, updated_at = NOW(3)"
                        + " WHERE status = 'digested' AND digest_id = ?")) {
            for (Outcome o : digests) {
                String error = o.error() == null ? null : truncate("digest " + o.messageId() + " failed: " + o.error());
                update.setString(1, o.status().wireName());
                update.setString(2, o.status().wireName());
                update.setString(3, error);
                update.setLong(4, o.messageId());
                update.addBatch();
                String reason = error == null ? "sent in digest " + o.messageId() : error;
                members.getOrDefault(o.messageId(), List.of()).forEach(id -> events.add(new MessageEvents.Event(id, o.status(), reason)));
            }
            update.executeBatch();
        }
        MessageEvents.record(c, workerId, events);
        // A failed digest's messages are dead letters like any: listed, and requeued one by one if wanted.
        recordDeadLetters(c, events.stream().filter(e -> e.status() == MessageStatus.DEAD).map(MessageEvents.Event::messageId).toList());
        // Each held message is final now: those that asked for a callback get their own.
        Callbacks.enqueue(c, events.stream().map(MessageEvents.Event::messageId).toList());
    }

    private static MessageEvents.Event event(Outcome o, String previousStatus) {
        String late = MessageStatus.UNKNOWN.wireName().equals(previousStatus)
                ? " (recorded after the send lease had expired)" : "";
        if (o.isFallback()) {
            return new MessageEvents.Event(o.messageId(), MessageStatus.QUEUED, "attempt " + o.attempt() + " failed for good"
                    + late + ": " + o.error() + "; fallback: queued on " + o.fallback().channel().wireName() + " to " + o.fallback().target());
        }
        if (o.notAttempted()) {
            return new MessageEvents.Event(o.messageId(), o.status(), "attempt " + o.attempt() + " not made" + late + ": " + o.error()
                    + "; due again in " + o.retryDelay().toMillis() + " ms, no attempt spent");
        }
        String reason = switch (o.status()) {
            case SENT -> "attempt " + o.attempt() + " sent" + late;
            case QUEUED -> "attempt " + o.attempt() + " failed, retry in " + o.retryDelay().toMillis() + " ms" + late + ": " + o.error();
            default -> "attempt " + o.attempt() + " failed, dead-lettered" + late + ": " + o.error();
        };
        return new MessageEvents.Event(o.messageId(), o.status(), reason);
    }

    /** A wait in microseconds for TIMESTAMPADD, saturating at ten years instead of overflowing. */
    static long saturatedMicros(Duration wait) {
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() / 1_000 : Math.max(0, wait.toNanos() / 1_000);
    }

    private static String truncate(String error) {
        return error.length() <= 2_000 ? error : error.substring(0, 2_000);
    }
}
