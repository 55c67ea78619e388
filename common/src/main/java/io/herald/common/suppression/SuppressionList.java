package io.herald.common.suppression;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Writes to an application's suppression list ({@code suppression}), for the worker (a hard bounce, a 410,
 * in the transaction that records the message's outcome) and the master's API alike. An entry for an
 * address already listed replaces it: the newest reason, time and expiry win.
 */
public final class SuppressionList {
    /** Who added an entry. */
    public static final String SMTP = "smtp";
    public static final String WEBHOOK = "webhook";
    public static final String API = "api";
    /** Longer reasons are cut: the column holds 1024 characters. */
    public static final int MAX_REASON_CHARS = 1024;

    private SuppressionList() {}

    /**
     * One address to stop sending to.
     *
     * @param messageId the message whose failure added it, or null
     * @param ttl how long it lasts from now, or null for until removed
     */
    public record Entry(String application, String channel, String target, String reason, String source, Long messageId,
                        Duration ttl) {}

    /** The key an address is listed under: SHA-256 of its UTF-8 bytes, as the claim's join computes it. */
    public static byte[] targetHash(String target) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Adds or replaces {@code entries}, in the caller's transaction, and marks their applications as having a list. */
    public static void add(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO suppression (application, channel, target_hash, target, reason,"
                + " source, message_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), TIMESTAMPADD(MICROSECOND, ?, NOW(3)))"
                + " ON DUPLICATE KEY UPDATE target = VALUES(target), reason = VALUES(reason), source = VALUES(source),"
                + " message_id = VALUES(message_id), created_at = VALUES(created_at), expires_at = VALUES(expires_at)")) {
            for (Entry e : entries) {
                upsert.setString(1, e.application());
                upsert.setString(2, e.channel());
                upsert.setBytes(3, targetHash(e.target()));
                upsert.setString(4, e.target());
                upsert.setString(5, e.reason().length() > MAX_REASON_CHARS ? e.reason().substring(0, MAX_REASON_CHARS) : e.reason());
                upsert.setString(6, e.source());
                if (e.messageId() == null) {
                    upsert.setNull(7, Types.BIGINT);
                } else {
                    upsert.setLong(7, e.messageId());
                }
                if (e.ttl() == null) {
                    upsert.setNull(8, Types.BIGINT); // TIMESTAMPADD with NULL is NULL: no expiry
                } else {
                    upsert.setLong(8, micros(e.ttl()));
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        markHasSuppressions(c, entries.stream().map(Entry::application).distinct().toList());
    }

    private static long micros(Duration d) {
        try {
            return Math.max(0, Math.multiplyExact(d.getSeconds(), 1_000_000L) + d.getNano() / 1_000);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** From now on the claim checks these applications' messages; never cleared, since a check that finds nothing is cheap. */
    private static void markHasSuppressions(Connection c, Collection<String> applications) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO application_policy (application, has_suppressions) VALUES (?, 1)"
                + " ON DUPLICATE KEY UPDATE has_suppressions = 1")) {
            for (String application : applications) {
                upsert.setString(1, application);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
