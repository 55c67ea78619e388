package io.herald.master.db;

import io.herald.common.db.Sql;
import io.herald.master.policy.UnknownOutcome;
import io.herald.master.policy.UnknownOutcome.Decision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The lease reaper's split of sending messages whose send lease expired: by their application's
 * {@code unknownOutcome} and their attempt budget ({@link UnknownOutcome#decide}). One read of the rows
 * the reaper has just locked, joined to their applications' policies; it runs only when a send lease
 * expired, never on the claim's path.
 */
public final class UnknownOutcomes {
    private final UnknownOutcome defaultChoice;
    private final UnknownOutcome.Budget budget;

    /** @param defaultChoice config.yml's {@code policy.unknownOutcome}, for applications that set none */
    public UnknownOutcomes(UnknownOutcome defaultChoice, UnknownOutcome.Budget budget) {
        this.defaultChoice = defaultChoice;
        this.budget = budget;
    }

    /** The ids of {@code expired} by decision; every decision has a list, maybe empty. */
    Map<Decision, List<Long>> split(Connection c, List<Long> expired) throws SQLException {
        Map<Decision, List<Long>> split = new EnumMap<>(Decision.class);
        for (Decision d : Decision.values()) {
            split.put(d, new ArrayList<>());
        }
        if (expired.isEmpty()) {
            return split;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT m.id, m.channel, m.attempts - m.retry_base, p.unknown_outcome, p.retry_schedule"
                        + " FROM message m LEFT JOIN application_policy p ON p.application = m.application"
                        + " WHERE m.id IN (" + Sql.placeholders(expired.size()) + ")")) {
            Sql.bindLongs(select, 1, expired);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String stored = rs.getString(4);
                    // A value the admin task did not write parks: an unreadable choice must not resend.
                    UnknownOutcome choice = stored == null ? defaultChoice : UnknownOutcome.fromWire(stored).orElse(UnknownOutcome.PARK);
                    Decision decision = choice.decide(rs.getInt(3), budget.maxAttempts(rs.getString(2), rs.getString(5)));
                    split.get(decision).add(rs.getLong(1));
                }
            }
        }
        return split;
    }
}
