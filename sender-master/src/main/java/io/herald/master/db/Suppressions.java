package io.herald.master.db;

import io.herald.common.db.Sql;
import io.herald.common.model.MessageTransition;
import io.herald.master.policy.AdmissionPolicy;
import io.herald.master.policy.ApplicationPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suppression list as an admission policy of the leader's fenced claim. For the applications that have
 * a list ({@code application_policy.has_suppressions}, read with the policy the claim already reads), one
 * statement per pass joins the pass's messages to {@code suppression} by primary key (application,
 * channel, SHA-256 of the target); a message whose target has an entry that has not expired becomes
 * {@code suppressed}, critical or not: a mailbox that does not exist receives nothing. Other applications
 * cost nothing. The reaper deletes expired entries.
 */
public final class Suppressions {
    private Suppressions() {}

    /** The suppression policy, built once; it keeps no state between claims. */
    public static AdmissionPolicy policy() {
        return RefusingRound.policy(ApplicationPolicy::suppressions, Suppressions::suppressed, MessageTransition.SUPPRESS,
                Suppressions::expire);
    }

    /** Deletes up to {@code limit} expired entries. */
    private static void expire(Connection c, int limit) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM suppression WHERE expires_at < NOW(3) LIMIT ?")) {
            delete.setInt(1, limit);
            delete.executeUpdate();
        }
    }

    /** The messages of {@code ids} whose target is listed and not expired, with the reason. The join reads channel and target itself. */
    private static Map<Long, String> suppressed(Connection c, List<Long> ids) throws SQLException {
        Map<Long, String> reasons = new LinkedHashMap<>();
        // SHA2 of the target in the connection's character set (utf8mb4) is the SHA-256 of its UTF-8 bytes,
        // as SuppressionList.targetHash computes it: an eq_ref lookup on suppression's primary key per message.
        try (PreparedStatement select = c.prepareStatement("SELECT m.id, s.source, s.reason, s.created_at FROM message m"
                + " JOIN suppression s ON s.application = m.application AND s.channel = m.channel"
                + " AND s.target_hash = UNHEX(SHA2(m.target, 256))"
                + " WHERE m.id IN (" + Sql.placeholders(ids.size()) + ") AND (s.expires_at IS NULL OR s.expires_at > NOW(3))")) {
            Sql.bindLongs(select, 1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    reasons.put(rs.getLong(1), "suppressed: its target is on the suppression list since "
                            + Sql.instant(rs.getTimestamp(4)) + " (" + rs.getString(2) + ": " + rs.getString(3) + ")");
                }
            }
        }
        return reasons;
    }
}
