package io.herald.master.db;

import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.OwnMessages;
import io.herald.common.transition.StatusChange;
import io.herald.common.transition.StatusSql;
import io.herald.master.policy.AdmissionPolicy;
import io.herald.master.policy.ApplicationPolicy;
import io.herald.master.policy.ApplicationPolicy.Digest;
import io.herald.master.policy.ClaimedRow;
import io.herald.master.policy.Outbox;
import io.herald.master.policy.PolicyMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-target rate limit, applied to each pass of a claim inside the leader's fenced transaction.
 *
 * <p>For each (application, channel, target) of an application with digests on, a window opens with
 * the first message dispatched to the target and lasts the application's digest window. The first
 * {@code threshold} messages of the window are dispatched one by one. The rest are held: they get the
 * status {@code digested} and the id of the window's digest, a message row of its own
 * ({@code is_digest = 1}) that is queued to become due when the window ends. From then on the digest
 * is dispatched, deduplicated by its own key, sent and recorded like any message, and its messages
 * take its outcome (see the worker's OutcomeStore).
 *
 * <p>A message joins a digest only while the window is open and the digest has never been attempted
 * (still queued, no attempts), so nothing can join a digest that a worker may already have sent. The
 * windows are rows of {@code digest_window}, written only here, so they hold across failover.
 */
public final class DigestWindows implements AdmissionPolicy.Round {
    /** The digest policy, built once; each claim gets its own windows. */
    public static AdmissionPolicy policy() {
        return new AdmissionPolicy() {
            @Override
            public AdmissionPolicy.Round begin(Connection c, Map<String, ApplicationPolicy> policies) {
                return of(policies);
            }

            @Override
            public void expire(Connection c, int limit) throws SQLException {
                DigestWindows.expire(c, limit);
            }
        };
    }

    private final Map<String, Digest> enabled;
    private int held;
    private int digests;

    private DigestWindows(Map<String, Digest> enabled) {
        this.enabled = enabled;
    }

    private static DigestWindows of(Map<String, ApplicationPolicy> policies) {
        Map<String, Digest> enabled = new HashMap<>();
        policies.forEach((application, policy) -> {
            if (policy.digest().enabled()) {
                enabled.put(application, policy.digest());
            }
        });
        return new DigestWindows(enabled);
    }

    /** Whether {@code application} has digests on: its claimed rows need channel and target. */
    @Override
    public boolean needsDetails(String application) {
        return enabled.containsKey(application);
    }

    /** The windows are written as each pass is decided; nothing is left for the end of the claim. */
    @Override
    public void finish(Connection c, String holder, Outbox outbox) {}

    @Override
    public PolicyMetrics.Counts counts() {
        return new PolicyMetrics.Counts(Map.of(), Map.of(), List.of(), held, digests);
    }

    /** A window still taking messages: its count so far and its digest, if it has one. */
    private record Window(int sent, Long digestId, long remainingMicros) {}

    /** Holds the rows past their target's threshold for the window's digest; admits the others. */
    @Override
    public AdmissionPolicy.Decisions decide(Connection c, String holder, List<ClaimedRow> rows) throws SQLException {
        List<ClaimedRow> dispatch = new ArrayList<>(rows.size());
        Map<String, List<ClaimedRow>> byWindow = new LinkedHashMap<>();
        for (ClaimedRow row : rows) {
            // A dry run is never folded into a digest: the digest would carry its text out of Herald.
            if (needsDetails(row.application()) && !row.digest() && !row.dryRun()) {
                byWindow.computeIfAbsent(key(row), k -> new ArrayList<>()).add(row);
            } else {
                dispatch.add(row);
            }
        }
        if (byWindow.isEmpty()) {
            return AdmissionPolicy.Decisions.admitAll(dispatch);
        }
        List<AdmissionPolicy.Refusal> holds = new ArrayList<>();
        Map<String, Window> open = openWindows(c, byWindow.keySet());
        for (Map.Entry<String, List<ClaimedRow>> e : byWindow.entrySet()) {
            ClaimedRow first = e.getValue().get(0);
            Digest settings = enabled.get(first.application());
            Window window = open.get(e.getKey());
            int sent = window == null ? 0 : window.sent();
            List<ClaimedRow> hold = new ArrayList<>();
            for (ClaimedRow row : e.getValue()) {
                if (sent < settings.threshold()) {
                    sent++;
                    dispatch.add(row);
                } else {
                    hold.add(row);
                }
            }
            writeWindow(c, e.getKey(), first, settings, window == null, sent);
            if (!hold.isEmpty()) {
                long digestId = window != null && window.digestId() != null ? window.digestId()
                        : createDigest(c, holder, e.getKey(), first, window == null ? settings.windowMillis() * 1_000 : window.remainingMicros());
                holds.add(holdFor(c, digestId, hold, settings));
            }
        }
        return new AdmissionPolicy.Decisions(dispatch, holds);
    }

    /** The windows among {@code keys} that still take messages; a key not answered starts a new window. */
    private static Map<String, Window> openWindows(Connection c, Set<String> keys) throws SQLException {
        Map<String, Window> open = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT w.window_key, w.sent, w.digest_id, TIMESTAMPDIFF(MICROSECOND, NOW(3), w.window_end) FROM digest_window w"
                        + " WHERE w.window_key IN (" + Sql.placeholders(keys.size()) + ") AND w.window_end > NOW(3)"
                        + " AND (w.digest_id IS NULL OR EXISTS (SELECT 1 FROM message d"
                        + " WHERE d.id = w.digest_id AND " + StatusSql.is("d.status", MessageStatus.QUEUED) + " AND d.attempts = 0))")) {
            int p = 1;
            for (String key : keys) {
                select.setString(p++, key);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long digestId = rs.getLong(3);
                    Long digest = rs.wasNull() ? null : digestId;
                    open.put(rs.getString(1), new Window(rs.getInt(2), digest, rs.getLong(4)));
                }
            }
        }
        return open;
    }

    private static void writeWindow(Connection c, String key, ClaimedRow row, Digest settings, boolean fresh, int sent)
            throws SQLException {
        long windowMicros = settings.windowMillis() * 1_000;
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO digest_window (window_key, application, channel, target, window_end, sent, digest_id)"
                        + " VALUES (?, ?, ?, ?, TIMESTAMPADD(MICROSECOND, ?, NOW(3)), ?, NULL)"
                        + " ON DUPLICATE KEY UPDATE window_end = IF(?, TIMESTAMPADD(MICROSECOND, ?, NOW(3)), window_end),"
                        + " sent = ?, digest_id = IF(?, NULL, digest_id)")) {
            Sql.bind(upsert, key, row.application(), row.channel(), row.target(), windowMicros, sent, fresh, windowMicros, sent, fresh);
            upsert.executeUpdate();
        }
    }

    /** A queued digest due when the window ends, to the window's target. */
    private long createDigest(Connection c, String holder, String key, ClaimedRow first, long dueInMicros) throws SQLException {
        long id = OwnMessages.insert(c, holder, new OwnMessages.OwnMessage(first.application(), first.channel(), first.target(),
                null, "", first.priority(), true, dueInMicros),
                "digest of the messages past the threshold for this target; due when the window ends");
        try (PreparedStatement update = c.prepareStatement("UPDATE digest_window SET digest_id = ? WHERE window_key = ?")) {
            update.setLong(1, id);
            update.setString(2, key);
            update.executeUpdate();
        }
        digests++;
        return id;
    }

    /** Raises the digest to its most urgent message's priority; the claim then marks the messages held for it. */
    private AdmissionPolicy.Refusal holdFor(Connection c, long digestId, List<ClaimedRow> hold, Digest settings) throws SQLException {
        List<Long> ids = hold.stream().map(ClaimedRow::id).toList();
        int mostUrgent = hold.stream().mapToInt(ClaimedRow::priority).min().orElseThrow();
        try (PreparedStatement raise = c.prepareStatement(
                "UPDATE message SET priority = LEAST(priority, ?) WHERE id = ? AND " + StatusSql.is(MessageStatus.QUEUED))) {
            raise.setInt(1, mostUrgent);
            raise.setLong(2, digestId);
            raise.executeUpdate();
        }
        held += ids.size();
        return new AdmissionPolicy.Refusal(StatusChange.of(MessageTransition.HOLD_FOR_DIGEST).set("digest_id = ?", digestId),
                "held for digest " + digestId + ": more than " + settings.threshold()
                + " message(s) to this target within " + settings.windowMillis() + " ms", ids);
    }

    /** Windows that have ended take no more messages: a new message opens a new window. */
    private static int expire(Connection c, int limit) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM digest_window WHERE window_end < NOW(3) LIMIT ?")) {
            delete.setInt(1, limit);
            return delete.executeUpdate();
        }
    }

    private static String key(ClaimedRow row) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(row.application(), row.channel(), row.target())) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
