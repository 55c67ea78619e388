package io.herald.worker.db;

import io.herald.common.db.Sql;
import io.herald.common.model.Channel;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.Priority;
import io.herald.common.template.TemplateFormat;
import io.herald.common.transition.StatusSql;
import io.herald.common.webhook.RetrySchedule;
import io.herald.worker.core.DigestText;
import io.herald.worker.core.OutgoingMessage;
import io.herald.common.channel.DigestEntry;
import io.herald.worker.core.TemplateRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read half of a dedup reservation: the dispatched rows of a chunk, locked, and what the worker needs
 * to send each (its digest's entries, its application's fallback and retry schedule, its template).
 */
final class DispatchedRows {
    /** The order the chunk is sent in: by priority, then oldest first. */
    private static final Comparator<Row> SEND_ORDER =
            Comparator.comparingInt((Row r) -> r.message().priority().rank()).thenComparingLong(r -> r.message().id());

    private DispatchedRows() {}

    /**
     * The messages among {@code ids} still dispatched, locked, with what sending them needs: digest entries,
     * fallback, retry schedule, template.
     */
    static Map<Long, OutgoingMessage> read(Connection c, List<Long> ids) throws SQLException {
        List<Row> rows = new ArrayList<>(ids.size());
        Map<Long, String[]> templated = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, application, channel, target, subject, body, priority, created_at, attempts, retry_base,"
                        + " template_name, template_context, is_digest, original_channel IS NULL, traceparent, recipient, category,"
                        + " dry_run"
                        // By primary key only: through an index on status the read would lock that index before
                        // the rows, the opposite order to the UPDATE to sending, and two workers
                        // reserving the same task could deadlock (DuplicateTaskTest found it).
                        + " FROM message FORCE INDEX (PRIMARY) WHERE " + StatusSql.is(MessageStatus.DISPATCHED)
                        + " AND id IN (" + Sql.placeholders(ids.size()) + ")"
                        // Locked, so the reaper cannot requeue a row between this read and the change to sending.
                        // Unordered: the primary-key read locks in id order either way, and sorting here would
                        // cost the database a filesort and a second read of every row (Handler_read_rnd).
                        + " FOR UPDATE")) {
            Sql.bindLongs(select, 1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(new OutgoingMessage(rs.getLong(1), rs.getString(2),
                            new Channel(rs.getString(3)), rs.getString(4), rs.getString(5),
                            rs.getString(6), Priority.fromRank(rs.getInt(7)), Sql.instant(rs.getTimestamp(8)),
                            rs.getInt(9) + 1, rs.getInt(10), null, TemplateFormat.TEXT, null, null, null, rs.getString(15),
                            audience(rs), rs.getBoolean(18)), rs.getInt(13) != 0,
                            rs.getBoolean(14)));
                    if (rs.getString(11) != null) {
                        templated.put(rs.getLong(1), new String[] {rs.getString(11), rs.getString(12)});
                    }
                }
            }
        }
        rows.sort(SEND_ORDER);
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
                    m.priority(), m.createdAt(), m.attempt(), m.retryBase(), null, TemplateFormat.TEXT, entries,
                    row.mayFallBack() ? policy.fallback() : null, policy.retrySchedule(), m.traceparent(),
                    entries == null ? m.audience() : null, m.dryRun())); // a digest has no category of its own
        }
        if (!templated.isEmpty()) {
            attachTemplates(c, found, templated);
        }
        return found;
    }

    /**
     * Reads the templates the reserved messages name, in one query, and attaches them. Kept apart from
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
                    m.priority(), m.createdAt(), m.attempt(), m.retryBase(), ref, TemplateFormat.TEXT, m.digest(), m.fallback(), m.retrySchedule(),
                    m.traceparent(), m.audience(), m.dryRun()));
        });
    }

    private static List<String> templateKey(OutgoingMessage m, String name) {
        return List.of(m.application(), m.channel().wireName(), name);
    }

    /** The message's {@code recipient} (UTF-8 bytes, stored only when given) and {@code category}; null when neither. */
    private static OutgoingMessage.Audience audience(ResultSet rs) throws SQLException {
        byte[] recipient = rs.getBytes(16);
        String category = rs.getString(17);
        return recipient == null && category == null ? null
                : new OutgoingMessage.Audience(recipient == null ? null : new String(recipient, java.nio.charset.StandardCharsets.UTF_8), category);
    }

    /** A dispatched row before its digest entries and fallback are attached. */
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
                    Optional<Channel> channel = rs.getString(2) == null ? Optional.empty() : Optional.of(new Channel(rs.getString(2)));
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
                        + " WHERE " + StatusSql.is(MessageStatus.DIGESTED) + " AND digest_id IN (" + Sql.placeholders(digestIds.size()) + ") ORDER BY digest_id, id")) {
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
}
