package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.PolicyConfig;
import io.herald.common.testing.Rows;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-application quotas, enforced in the leader's fenced claim, against the real database. */
class QuotaTest extends DispatchStoreFixture {
    @BeforeEach
    void takeFence() throws Exception {
        store.acquireFence(1, "leader");
    }

    @Test
    void past_the_hard_limit_messages_are_stored_as_rejected_with_the_reason_and_counted() throws Exception {
        execute("INSERT INTO application_policy (application, quota_hard, quota_window_ms) VALUES ('capped', 5, 60000)");
        Rows.insertQueued(database, "capped", 2, 8, "log", "t");
        Rows.insertQueued(database, "free", 2, 8, "log", "t");

        DispatchStore.Claim claim = store.claim(1, "leader", 100, LEASE);

        assertThat(claim.messageIds()).hasSize(13);
        assertThat(claim.policy().rejected()).containsExactly(java.util.Map.entry("capped", 3));
        assertThat(count("application = 'capped' AND status = 'dispatched'")).isEqualTo(5);
        assertThat(count("application = 'capped' AND status = 'rejected' AND last_error ="
                + " 'rejected: application ''capped'' is over its hard quota of 5 message(s) per 60000 ms'")).isEqualTo(3);
        assertThat(policyCount("herald_quota_rejected", null)).isEqualTo(3);
        assertThat(policyCount("herald_quota_rejected", "capped")).isEqualTo(3);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE status = 'rejected'"
                + " AND reason LIKE 'rejected: application ''capped'' is over its hard quota%'")).isEqualTo(3);
    }

    @Test
    void a_rejected_message_that_asked_for_a_callback_gets_one_queued_in_the_same_claim() throws Exception {
        execute("INSERT INTO application_policy (application, quota_hard, quota_window_ms) VALUES ('capped', 1, 60000)");
        Rows.insertQueued(database, "capped", 2, 3, "log", "t");
        execute("UPDATE message SET callback_url = 'https://example.org/cb' WHERE application = 'capped'");

        store.claim(1, "leader", 100, LEASE);

        assertThat(count("status = 'rejected'")).isEqualTo(2);
        // Both rejected ones are reported; the dispatched one is not final yet.
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback k JOIN message m ON m.id = k.message_id"
                + " WHERE k.status = 'rejected' AND m.status = 'rejected' AND k.error LIKE 'rejected: %' AND k.state = 'pending'")).isEqualTo(2);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback")).isEqualTo(2);
    }

    @Test
    void usage_is_in_the_database_so_a_new_leader_keeps_counting() throws Exception {
        execute("INSERT INTO application_policy (application, quota_hard) VALUES ('capped', 4)");
        Rows.insertQueued(database, "capped", 2, 3, "log", "t");
        assertThat(store.claim(1, "leader", 100, LEASE).messageIds()).hasSize(3);

        DispatchStore next = DispatchStores.standard(database, new PolicyConfig(), Duration.ofSeconds(5), new MetricRegistry());
        assertThat(next.acquireFence(2, "next")).isTrue();
        Rows.insertQueued(database, "capped", 2, 3, "log", "t");

        assertThat(next.claim(2, "next", 100, LEASE).messageIds()).hasSize(1);
        assertThat(count("status = 'rejected'")).isEqualTo(2);
    }

    @Test
    void usage_outside_the_window_does_not_count() throws Exception {
        execute("INSERT INTO application_policy (application, quota_hard, quota_window_ms) VALUES ('capped', 4, 60000)");
        execute("INSERT INTO quota_usage (application, bucket_start, dispatched)"
                + " VALUES ('capped', CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) - 61000, 100)");
        Rows.insertQueued(database, "capped", 2, 4, "log", "t");

        assertThat(store.claim(1, "leader", 100, LEASE).messageIds()).hasSize(4);
        assertThat(Rows.count(database, "SELECT SUM(dispatched) FROM quota_usage")).isEqualTo(104);
    }

    @Test
    void past_the_soft_limit_messages_go_out_and_the_owner_is_warned_once_per_interval() throws Exception {
        execute("INSERT INTO application_policy (application, quota_soft) VALUES ('chatty', 3)");
        execute("INSERT INTO application (name, signing_secret, owner_email) VALUES ('chatty', 'secret', 'owner@example.org')");
        Rows.insertQueued(database, "chatty", 2, 5, "log", "t");

        DispatchStore.Claim first = store.claim(1, "leader", 100, LEASE);

        assertThat(first.messageIds()).hasSize(5);
        assertThat(first.policy().overSoft()).containsEntry("chatty", 2);
        assertThat(first.policy().warned()).containsExactly("chatty");
        assertThat(policyCount("herald_quota_over_soft", "chatty")).isEqualTo(2);
        assertThat(policyCount("herald_quota_warnings", null)).isEqualTo(1);
        // The claim put the warning in the outbox; the relay, outside the fence, makes it a message.
        assertThat(count("application = 'herald'")).isZero();
        relayOutbox();
        assertThat(count("application = 'herald' AND channel = 'email' AND target = 'owner@example.org'"
                + " AND subject = 'Herald: application ''chatty'' is over its soft quota' AND status = 'queued'")).isEqualTo(1);

        Rows.insertQueued(database, "chatty", 2, 2, "log", "t");
        DispatchStore.Claim second = store.claim(1, "leader", 100, LEASE);
        assertThat(second.policy().overSoft()).containsEntry("chatty", 2);
        assertThat(second.policy().warned()).isEmpty();

        // Once the interval (30 minutes by default) has passed, the next excess warns again.
        execute("UPDATE quota_warning SET warned_at = TIMESTAMPADD(MINUTE, -31, NOW(3))");
        Rows.insertQueued(database, "chatty", 2, 1, "log", "t");
        assertThat(store.claim(1, "leader", 100, LEASE).policy().warned()).containsExactly("chatty");
        relayOutbox();
        assertThat(count("application = 'herald'")).isEqualTo(2);
    }

    @Test
    void without_an_owner_address_nothing_is_emailed_but_the_excess_is_counted() throws Exception {
        execute("INSERT INTO application_policy (application, quota_soft) VALUES ('anon', 1)");
        Rows.insertQueued(database, "anon", 2, 3, "log", "t");

        DispatchStore.Claim claim = store.claim(1, "leader", 100, LEASE);

        assertThat(claim.policy().warned()).isEmpty();
        assertThat(policyCount("herald_quota_over_soft", null)).isEqualTo(2);
        relayOutbox();
        assertThat(count("application = 'herald'")).isZero();
    }

    @Test
    void the_configured_default_applies_to_applications_without_a_row() throws Exception {
        PolicyConfig config = new PolicyConfig();
        config.quota.hard = 2;
        DispatchStore limited = DispatchStores.standard(database, config, Duration.ofSeconds(5), new MetricRegistry());
        Rows.insertQueued(database, "anyone", 2, 3, "log", "t");

        assertThat(limited.claim(1, "leader", 100, LEASE).messageIds()).hasSize(2);
        assertThat(count("status = 'rejected'")).isEqualTo(1);
    }

    private void relayOutbox() throws Exception {
        new OutboxStore(database).relay("leader", 100);
    }

    private long count(String where) throws Exception {
        return Rows.count(database, "SELECT COUNT(*) FROM message WHERE " + where);
    }

}
