package io.herald.master.db;

import io.herald.common.model.MessageTransition;
import io.herald.master.policy.AdmissionPolicy;
import io.herald.master.policy.ApplicationPolicy;
import io.herald.master.policy.ClaimedRow;
import io.herald.master.policy.Outbox;
import io.herald.master.policy.PolicyMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The part in one claim of a policy that only refuses, as opt-outs ({@link OptOuts}) and the suppression
 * list ({@link Suppressions}) do: of the rows of the applications it checks, those that {@code lookup} finds
 * (one statement per pass) make {@code transition}; the other applications cost nothing. The lookup's join
 * reads what it needs of each message itself, for the checked rows only, so the claimed rows need no
 * details; and the refused messages are changed in decide, so there is nothing to write after the last pass.
 */
record RefusingRound(Set<String> checked, Lookup lookup, MessageTransition transition) implements AdmissionPolicy.Round {
    /** The refused messages among {@code ids}, each with its reason. */
    interface Lookup {
        Map<Long, String> refusals(Connection c, List<Long> ids) throws SQLException;
    }

    /** The reaper's part: deletes up to {@code limit} rows of the policy's own that no claim reads any more. */
    interface Expiry {
        void expire(Connection c, int limit) throws SQLException;
    }

    /** The policy, built once; it keeps no state between claims. {@code flag}: the applications it checks. */
    static AdmissionPolicy policy(Predicate<ApplicationPolicy> flag, Lookup lookup, MessageTransition transition, Expiry expiry) {
        return new AdmissionPolicy() {
            @Override
            public AdmissionPolicy.Round begin(Connection c, Map<String, ApplicationPolicy> policies) {
                return new RefusingRound(AdmissionPolicy.applicationsWith(policies, flag), lookup, transition);
            }

            @Override
            public void expire(Connection c, int limit) throws SQLException {
                expiry.expire(c, limit);
            }
        };
    }

    @Override
    public boolean needsDetails(String application) {
        return false;
    }

    @Override
    public AdmissionPolicy.Decisions decide(Connection c, String holder, List<ClaimedRow> rows) throws SQLException {
        return AdmissionPolicy.Decisions.refusingAmong(rows, checked, ids -> lookup.refusals(c, ids), transition);
    }

    @Override
    public void finish(Connection c, String holder, Outbox outbox) {
        // Nothing to write: the refused messages were changed in decide.
    }

    @Override
    public PolicyMetrics.Counts counts() {
        return PolicyMetrics.Counts.NONE;
    }
}
