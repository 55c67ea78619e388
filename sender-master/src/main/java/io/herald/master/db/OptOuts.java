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
 * Recipients' opt-outs as an admission policy of the leader's fenced claim. For the applications that have
 * stored any opt-out ({@code application_policy.has_opt_outs}, read with the policy the claim already
 * reads), one statement per pass joins the pass's messages to {@code recipient_opt_out} by primary key;
 * a message whose recipient opted out of everything, of its channel or of its category, and that is not
 * {@code critical}, becomes {@code opted_out}. Other applications cost nothing.
 */
public final class OptOuts {
    private OptOuts() {}

    /** The opt-out policy, built once; it keeps no state between claims. */
    public static AdmissionPolicy policy() {
        return RefusingRound.policy(ApplicationPolicy::optOuts, OptOuts::optedOut, MessageTransition.OPT_OUT, (c, limit) -> {
            // Opt-outs last until the application changes them: nothing expires.
        });
    }

    /**
     * The messages of {@code ids} whose recipient opted out of them, with the reason (the broadest opt-out that applies).
     * The join reads channel, category and critical itself.
     */
    private static Map<Long, String> optedOut(Connection c, List<Long> ids) throws SQLException {
        Map<Long, String> reasons = new LinkedHashMap<>();
        // ORDER BY scope: 'all' before 'category' before 'channel', so each message keeps its broadest reason.
        try (PreparedStatement select = c.prepareStatement("SELECT m.id, o.scope, o.name FROM message m"
                + " JOIN recipient_opt_out o ON o.application = m.application AND o.recipient_hash = m.recipient_hash"
                + " WHERE m.id IN (" + Sql.placeholders(ids.size()) + ") AND m.critical = 0 AND (o.scope = '" + Recipients.ALL + "'"
                + " OR (o.scope = '" + Recipients.CHANNEL + "' AND o.name = m.channel)"
                + " OR (o.scope = '" + Recipients.CATEGORY + "' AND o.name = m.category)) ORDER BY m.id, o.scope")) {
            Sql.bindLongs(select, 1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    reasons.putIfAbsent(rs.getLong(1), reason(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return reasons;
    }

    private static String reason(String scope, String name) {
        String what = scope.equals(Recipients.ALL) ? "all messages" : scope + " '" + name + "'";
        return "opted out: its recipient opted out of " + what + " (not critical, so not sent)";
    }
}
