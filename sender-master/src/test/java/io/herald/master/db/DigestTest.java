package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.PolicyConfig;
import io.herald.common.testing.Rows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-target rate limit in the leader's claim: past the threshold, messages wait for one digest per window. */
class DigestTest extends DispatchStoreFixture {
    @BeforeEach
    void digestsOn() throws Exception {
        store.acquireFence(1, "leader");
        execute("INSERT INTO application_policy (application, digest_enabled, digest_threshold, digest_window_ms)"
                + " VALUES ('alerts', 1, 3, 60000)");
    }

    @Test
    void past_the_threshold_messages_are_held_for_one_digest_due_when_the_window_ends() throws Exception {
        long first = Rows.insertQueued(database, "alerts", 2, 10, "webhook", "https://example.org/a");
        Rows.insertQueued(database, "alerts", 2, 2, "webhook", "https://example.org/b");
        Rows.insertQueued(database, "other", 2, 5, "webhook", "https://example.org/a");

        DispatchStore.Claim claim = store.claim(1, "leader", 100, LEASE);

        assertThat(claim.messageIds()).hasSize(3 + 2 + 5).contains(first, first + 1, first + 2);
        assertThat(claim.policy().held()).isEqualTo(7);
        assertThat(claim.policy().digests()).isEqualTo(1);
        long digest = Rows.count(database, "SELECT id FROM message WHERE is_digest = 1");
        assertThat(count("status = 'digested' AND digest_id = " + digest)).isEqualTo(7);
        assertThat(count("id = " + digest + " AND status = 'queued' AND application = 'alerts' AND channel = 'webhook'"
                + " AND target = 'https://example.org/a' AND next_attempt_at > NOW(3)")).isEqualTo(1);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE status = 'digested'"
                + " AND reason = 'held for digest " + digest + ": more than 3 message(s) to this target within 60000 ms'")).isEqualTo(7);
        assertThat(policyCount("herald_digest_held", null)).isEqualTo(7);

        // More to the same target in the same window join the same digest, even under a new leader.
        DispatchStore next = DispatchStores.standard(database, new PolicyConfig(), Duration.ofSeconds(5), new MetricRegistry());
        next.acquireFence(2, "next");
        Rows.insertQueued(database, "alerts", 0, 2, "webhook", "https://example.org/a");
        assertThat(next.claim(2, "next", 100, LEASE).messageIds()).isEmpty();
        assertThat(count("status = 'digested' AND digest_id = " + digest)).isEqualTo(9);
        assertThat(Rows.count(database, "SELECT priority FROM message WHERE id = " + digest)).as("the most urgent member's").isZero();

        // The window ends: the digest is dispatched once, and the next message opens a new window.
        endWindows();
        assertThat(next.claim(2, "next", 100, LEASE).messageIds()).containsExactly(digest);
        long later = Rows.insertQueued(database, "alerts", 2, 1, "webhook", "https://example.org/a");
        assertThat(next.claim(2, "next", 100, LEASE).messageIds()).containsExactly(later);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE is_digest = 1")).isEqualTo(1);
    }

    @Test
    void dry_runs_are_never_held_for_a_digest_which_would_carry_them_out() throws Exception {
        long first = Rows.insertQueued(database, "alerts", 2, 6, "webhook", "https://example.org/a");
        execute("UPDATE message SET dry_run = 1 WHERE application = 'alerts'");

        DispatchStore.Claim claim = store.claim(1, "leader", 100, LEASE);

        assertThat(claim.messageIds()).hasSize(6).contains(first);
        assertThat(claim.policy().held()).isZero();
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE is_digest = 1")).isZero();
    }

    @Test
    void nothing_joins_a_digest_once_it_has_been_attempted() throws Exception {
        Rows.insertQueued(database, "alerts", 2, 4, "log", "ops");
        store.claim(1, "leader", 100, LEASE);
        long digest = Rows.count(database, "SELECT id FROM message WHERE is_digest = 1");
        // As if a worker had tried it and an operator requeued it: queued again, but attempted.
        execute("UPDATE message SET attempts = 1 WHERE id = " + digest);

        Rows.insertQueued(database, "alerts", 2, 4, "log", "ops");
        List<Long> claimed = store.claim(1, "leader", 100, LEASE).messageIds();

        assertThat(claimed).hasSize(3);
        assertThat(count("status = 'digested' AND digest_id = " + digest)).isEqualTo(1);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE is_digest = 1")).isEqualTo(2);
    }

    @Test
    void applications_without_digests_and_ended_windows_are_left_alone_by_the_reaper() throws Exception {
        Rows.insertQueued(database, "alerts", 2, 1, "log", "ops");
        store.claim(1, "leader", 100, LEASE);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM digest_window")).isEqualTo(1);
        endWindows();
        store.reap(1, "leader", 100);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM digest_window")).isZero();
    }

    private void endWindows() throws Exception {
        execute("UPDATE digest_window SET window_end = TIMESTAMPADD(SECOND, -1, NOW(3))");
        execute("UPDATE message SET next_attempt_at = TIMESTAMPADD(SECOND, -1, NOW(3)) WHERE is_digest = 1");
    }

    private long count(String where) throws Exception {
        return Rows.count(database, "SELECT COUNT(*) FROM message WHERE " + where);
    }
}
