package io.herald.master.db;

import io.herald.master.policy.ClaimedRow;
import io.herald.master.policy.PolicyMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The leader's fenced claim, as the dispatcher sees it ({@link DispatchStore}; a fake in unit tests). */
public interface ClaimStore {
    /**
     * Claims up to {@code limit} due messages under {@code token} and marks them dispatched with a lease.
     *
     * @throws FencedOutException if a newer leader holds the fence; nothing was written
     */
    Claim claim(long token, String holder, int limit, Duration lease) throws SQLException, FencedOutException;

    /**
     * Outcome of a claim: the ids now dispatched under the token (urgent first, then oldest first), what
     * the admission policies did (quotas, digests), and how many of the ids each application had.
     */
    record Claim(boolean paused, List<Long> messageIds, long maxLagMicros, PolicyMetrics.Counts policy, Map<String, Integer> perApplication) {
        public static final Claim PAUSED = new Claim(true, List.of(), 0, PolicyMetrics.Counts.NONE);
        public static final Claim NOTHING_DUE = new Claim(false, List.of(), 0, PolicyMetrics.Counts.NONE);

        /** A claim whose ids are not told apart by application. */
        public Claim(boolean paused, List<Long> messageIds, long maxLagMicros, PolicyMetrics.Counts policy) {
            this(paused, messageIds, maxLagMicros, policy, Map.of());
        }

        /** The claim of {@code dispatched}, in dispatch order: most urgent first, then longest waiting. */
        static Claim of(List<ClaimedRow> dispatched, PolicyMetrics.Counts policy) {
            List<ClaimedRow> ordered = dispatched.stream()
                    .sorted(Comparator.comparingInt(ClaimedRow::priority)
                            .thenComparing(Comparator.comparingLong(ClaimedRow::lagMicros).reversed()))
                    .toList();
            long maxLag = ordered.stream().mapToLong(ClaimedRow::lagMicros).max().orElse(0);
            Map<String, Integer> perApplication = new HashMap<>();
            ordered.forEach(r -> perApplication.merge(r.application(), 1, Integer::sum));
            return new Claim(false, ordered.stream().map(ClaimedRow::id).toList(), maxLag, policy, Map.copyOf(perApplication));
        }
    }
}
