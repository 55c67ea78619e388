package io.herald.master.policy;

import io.herald.common.transition.StatusChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * One admission policy of the leader's fenced claim (quotas, digests). For each pass of the fair selection
 * it decides which rows go out now; the claim applies the decisions and marks the rest dispatched. The
 * policies are built once in {@code MasterApplication.run()} and handed to the claim, in order: a row one
 * policy refuses is not shown to the next. Adding a policy touches no store.
 *
 * <p>Everything runs inside the claim's fenced transaction, so it must be batched: a policy that has nothing
 * to do for the applications of a claim must cost no statement.
 */
public interface AdmissionPolicy {
    /** Starts one claim: reads what the policy needs for the applications in {@code policies}. */
    Round begin(Connection c, Map<String, ApplicationPolicy> policies) throws SQLException;

    /** Deletes up to {@code limit} rows of the policy's own state that no claim reads any more (run by the reaper). */
    void expire(Connection c, int limit) throws SQLException;

    /** A policy's part in one claim. */
    interface Round {
        /** Whether the claimed rows of {@code application} must carry channel and target. */
        boolean needsDetails(String application);

        /** Decides one pass's rows: those admitted by the policies before this one. */
        Decisions decide(Connection c, String holder, List<ClaimedRow> rows) throws SQLException;

        /** After the last pass: writes the policy's own state, and its side effects into {@code outbox}. */
        void finish(Connection c, String holder, Outbox outbox) throws SQLException;

        /** What the policy did in this claim, counted once the claim commits. */
        PolicyMetrics.Counts counts();
    }

    /** The rows let through, and the change for each group of the others. */
    record Decisions(List<ClaimedRow> admitted, List<Refusal> refused) {
        public static Decisions admitAll(List<ClaimedRow> rows) {
            return new Decisions(rows, List.of());
        }
    }

    /** Messages that do not go out now, and what becomes of them (a transition from queued), with the reason. */
    record Refusal(StatusChange change, String reason, List<Long> ids) {}
}
