package io.herald.master.db;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.PolicyConfig.PriorityWeights;
import io.herald.common.db.Database;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusChange;
import io.herald.master.policy.AdmissionPolicy;
import io.herald.master.policy.ApplicationPolicy;
import io.herald.master.policy.ClaimedRow;
import io.herald.master.policy.FairShare.Group;
import io.herald.master.policy.Outbox;
import io.herald.master.policy.PolicyMetrics;
import io.herald.master.policy.UnknownOutcome.Decision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The leader's writes, each fenced. Every transaction first reads the {@code leader_fence} row under a
 * shared lock and aborts unless it holds the caller's own token. A new leader raises the token with an
 * exclusive write, which waits for in-flight dispatch transactions and then makes every later one from
 * the old leader fail: a leader that was paused or partitioned cannot write after it has been replaced.
 */
public final class DispatchStore implements ClaimStore, ReapStore {
    static final String FENCE = "dispatch";

    private final Database database;
    private final Duration stalledTransactionTimeout;
    private final Counter refusedWrites;
    private final FairClaim fairClaim;
    private final PolicyStore policyStore;
    private final List<AdmissionPolicy> admission;
    private final Outbox outbox;
    private final PolicyMetrics policyMetrics;
    private final UnknownOutcomes unknownOutcomes;

    /**
     * @param stalledTransactionTimeout how long the server lets a transaction that locks the fence row
     *     go silent before it drops the session, so that a frozen leader cannot keep a successor out
     * @param admission the admission policies, applied in this order to each pass of the claim
     * @param outbox where the policies' side effects go, in the claim's transaction
     * @param unknownOutcomes what the reaper does with each expired send lease (park or resend)
     */
    public DispatchStore(Database database, Duration stalledTransactionTimeout, MetricRegistry metrics, PolicyMetrics policyMetrics,
                         PriorityWeights priorityWeights, PolicyStore policyStore, List<AdmissionPolicy> admission, Outbox outbox,
                         UnknownOutcomes unknownOutcomes) {
        this.database = database;
        this.stalledTransactionTimeout = stalledTransactionTimeout;
        this.fairClaim = new FairClaim(priorityWeights);
        this.policyStore = policyStore;
        this.admission = List.copyOf(admission);
        this.outbox = outbox;
        this.policyMetrics = policyMetrics;
        this.unknownOutcomes = unknownOutcomes;
        this.refusedWrites = metrics.counter("herald.master.fenced_writes_refused");
    }

    /**
     * Raises the fence to {@code token} if it is higher than the stored one.
     *
     * @return whether the fence now holds {@code token}; false means a newer leader exists
     */
    public boolean acquireFence(long token, String holder) throws SQLException {
        boolean accepted = database.inTransaction(c -> {
            try (PreparedStatement raise = c.prepareStatement(
                    "UPDATE leader_fence SET token = ?, holder = ?, acquired_at = NOW(3) WHERE name = ? AND token < ?")) {
                raise.setLong(1, token);
                raise.setString(2, holder);
                raise.setString(3, FENCE);
                raise.setLong(4, token);
                raise.executeUpdate();
            }
            // Connector/J reports found rows, not changed rows: compare the value, not the count.
            return readFence(c, false).token() == token;
        }, stalledTransactionTimeout);
        recordFenceEvent(token, holder, accepted);
        return accepted;
    }

    /**
     * The leader's fenced claim, and all it does inside the fence: select up to {@code limit} due messages,
     * split fairly between applications and priorities ({@link FairClaim}); apply the admission policies'
     * decisions to each pass; mark the admitted dispatched.
     */
    @Override
    public Claim claim(long token, String holder, int limit, Duration lease) throws SQLException, FencedOutException {
        Claim claim = fenced(token, holder, (c, fence) -> {
            if (fence.paused()) {
                return Claim.PAUSED;
            }
            List<Group> groups = FairClaim.dueGroups(c);
            if (groups.isEmpty()) {
                return Claim.NOTHING_DUE;
            }
            Map<String, ApplicationPolicy> policies = policyStore.effective(c, groups.stream().map(Group::application).distinct().toList());
            List<AdmissionPolicy.Round> rounds = new ArrayList<>(admission.size());
            for (AdmissionPolicy policy : admission) {
                rounds.add(policy.begin(c, policies));
            }
            List<ClaimedRow> dispatched = new ArrayList<>();
            fairClaim.claim(c, groups, limit, a -> policies.get(a).weight(), a -> rounds.stream().anyMatch(r -> r.needsDetails(a)),
                    (tx, pass) -> dispatched.addAll(admit(tx, token, holder, pass, rounds, lease)));
            PolicyMetrics.Counts counts = PolicyMetrics.Counts.NONE;
            for (AdmissionPolicy.Round round : rounds) {
                round.finish(c, holder, outbox);
                counts = counts.plus(round.counts());
            }
            return Claim.of(dispatched, counts);
        });
        policyMetrics.count(claim.policy());
        return claim;
    }

    /** Applies each policy's decisions to one pass's rows in turn, and marks what they all admitted dispatched. */
    private static List<ClaimedRow> admit(Connection c, long token, String holder, List<ClaimedRow> pass,
                                          List<AdmissionPolicy.Round> rounds, Duration lease) throws SQLException {
        List<ClaimedRow> admitted = pass;
        for (AdmissionPolicy.Round round : rounds) {
            AdmissionPolicy.Decisions decisions = round.decide(c, holder, admitted);
            for (AdmissionPolicy.Refusal refusal : decisions.refused()) {
                refusal.change().apply(c, holder, refusal.reason(), refusal.ids());
            }
            admitted = decisions.admitted();
        }
        StatusChange.of(MessageTransition.CLAIM)
                .set("dispatch_token = ?", token)
                // A dispatched message's due time is when its lease lapses (see LeaseReaper).
                .set("next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))", lease.toNanos() / 1_000)
                .apply(c, holder, "claimed by the leader (token " + token + ")", admitted.stream().map(ClaimedRow::id).toList());
        return admitted;
    }

    /**
     * Expires leases: dispatched messages that no worker started go back to queued; sending messages
     * whose worker recorded nothing in time become unknown, or, for an application that chose
     * {@code unknownOutcome=resend} and while the message has attempts left, go back to queued as an
     * ambiguous attempt (never silently: the audit trail and the counters say so). Rows locked by a
     * worker that is recording their outcome right now are skipped: the worker's record decides.
     */
    @Override
    public Reaped reap(long token, String holder, int limit) throws SQLException, FencedOutException {
        return fenced(token, holder, (c, fence) -> {
            List<Long> requeue = FairClaim.expired(c, MessageStatus.DISPATCHED, limit);
            StatusChange.of(MessageTransition.DISPATCH_LEASE_EXPIRED)
                    .apply(c, holder, "dispatch lease expired before a worker started it; queued again", requeue);
            Map<Decision, List<Long>> sending = unknownOutcomes.split(c, FairClaim.expired(c, MessageStatus.SENDING, limit));
            StatusChange.of(MessageTransition.SEND_LEASE_EXPIRED).set("last_error = ?", SEND_LEASE_EXPIRED)
                    .apply(c, holder, SEND_LEASE_EXPIRED, sending.get(Decision.PARK));
            StatusChange.of(MessageTransition.SEND_LEASE_EXPIRED).set("last_error = ?", ATTEMPTS_USED)
                    .apply(c, holder, ATTEMPTS_USED, sending.get(Decision.PARK_ATTEMPTS_USED));
            // The cut-off attempt may have reached the receiver: counted as ambiguous, like a lost answer.
            StatusChange.of(MessageTransition.SEND_LEASE_EXPIRED_RESEND).set("last_error = ?", RESENT)
                    .set("ambiguous_attempts = ambiguous_attempts + 1").set("next_attempt_at = NOW(3)")
                    .apply(c, holder, RESENT, sending.get(Decision.RESEND));
            for (AdmissionPolicy policy : admission) {
                policy.expire(c, limit);
            }
            return new Reaped(requeue.size(), sending.get(Decision.PARK).size() + sending.get(Decision.PARK_ATTEMPTS_USED).size(),
                    sending.get(Decision.RESEND).size());
        });
    }

    private static final String SEND_LEASE_EXPIRED =
            "send outcome unknown: the worker recorded no result before its lease expired";
    private static final String ATTEMPTS_USED = SEND_LEASE_EXPIRED + "; not resent: its attempts are used (unknownOutcome=resend)";
    private static final String RESENT = SEND_LEASE_EXPIRED
            + "; queued again with the same ids (unknownOutcome=resend): an ambiguous repeat, the receiver may get it twice";

    /** Sets the cluster-wide pause switch that the leader reads in every dispatch transaction. */
    public void setPaused(boolean paused) throws SQLException {
        database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE leader_fence SET paused = ? WHERE name = ?")) {
                update.setInt(1, paused ? 1 : 0);
                update.setString(2, FENCE);
                return update.executeUpdate();
            }
        });
    }

    public boolean isPaused() throws SQLException {
        return database.withConnection(c -> readFence(c, false).paused());
    }

    /** Work inside a fenced transaction, given the fence row it read (and share-locked). */
    interface FencedWork<T> {
        T apply(Connection c, Fence fence) throws SQLException;
    }

    /** Runs {@code work} in one transaction that holds the fence under {@code token}: the leader's writes, here and in {@link FanoutChunks}. */
    <T> T fenced(long token, String holder, FencedWork<T> work) throws SQLException, FencedOutException {
        try {
            return database.inTransaction(c -> {
                Fence fence = readFence(c, true);
                if (fence.token() != token) {
                    throw new FenceMismatch(fence.token());
                }
                return work.apply(c, fence);
            }, stalledTransactionTimeout);
        } catch (FenceMismatch mismatch) {
            refusedWrites.inc();
            recordFenceEvent(token, holder, false);
            throw new FencedOutException(token, mismatch.current);
        }
    }

    record Fence(long token, boolean paused) {}

    private static Fence readFence(Connection c, boolean shareLock) throws SQLException {
        // LOCK IN SHARE MODE rather than FOR SHARE: MariaDB 10.11 understands only the former.
        String sql = "SELECT token, paused FROM leader_fence WHERE name = ?" + (shareLock ? " LOCK IN SHARE MODE" : "");
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, FENCE);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("leader_fence row '" + FENCE + "' is missing: run 'db migrate'");
                }
                return new Fence(rs.getLong(1), rs.getInt(2) != 0);
            }
        }
    }

    private void recordFenceEvent(long token, String holder, boolean accepted) throws SQLException {
        database.withConnection(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO fence_event (name, token, holder, accepted) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, FENCE);
                insert.setLong(2, token);
                insert.setString(3, holder);
                insert.setInt(4, accepted ? 1 : 0);
                return insert.executeUpdate();
            }
        });
    }

    /** Carries a fence mismatch out of the transaction so that it rolls back. */
    private static final class FenceMismatch extends RuntimeException {
        private final long current;

        FenceMismatch(long current) {
            super(null, null, false, false);
            this.current = current;
        }
    }
}
