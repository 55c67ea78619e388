package io.herald.master.policy;

import io.herald.common.db.SqlFunction;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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

    /** The applications of {@code policies} that {@code flag} holds for: those a policy kept per application must check. */
    static Set<String> applicationsWith(Map<String, ApplicationPolicy> policies, Predicate<ApplicationPolicy> flag) {
        Set<String> applications = new HashSet<>();
        policies.forEach((application, policy) -> {
            if (flag.test(policy)) {
                applications.add(application);
            }
        });
        return applications;
    }

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

        /**
         * {@code rows} less those in {@code reasons} (id to reason), which make {@code transition} with their reason
         * as {@code last_error}: one refusal, so one UPDATE, per distinct reason.
         */
        public static Decisions refusing(List<ClaimedRow> rows, Map<Long, String> reasons, MessageTransition transition) {
            if (reasons.isEmpty()) {
                return admitAll(rows);
            }
            Map<String, List<Long>> byReason = new LinkedHashMap<>();
            reasons.forEach((id, reason) -> byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(id));
            List<Refusal> refused = new ArrayList<>();
            byReason.forEach((reason, ids) -> refused.add(new Refusal(StatusChange.of(transition).set("last_error = ?", reason), reason, ids)));
            return new Decisions(rows.stream().filter(r -> !reasons.containsKey(r.id())).toList(), refused);
        }

        /**
         * {@link #refusing} for the rows of {@code applications} only, whose refusals {@code lookup} finds
         * (id to reason) in one read; the other rows cost no statement.
         */
        public static Decisions refusingAmong(List<ClaimedRow> rows, Set<String> applications,
                                              SqlFunction<List<Long>, Map<Long, String>> lookup, MessageTransition transition)
                throws SQLException {
            List<Long> ids = rows.stream().filter(r -> applications.contains(r.application())).map(ClaimedRow::id).toList();
            return ids.isEmpty() ? admitAll(rows) : refusing(rows, lookup.apply(ids), transition);
        }
    }

    /** Messages that do not go out now, and what becomes of them (a transition from queued), with the reason. */
    record Refusal(StatusChange change, String reason, List<Long> ids) {}
}
