package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.PolicyConfig;
import io.herald.common.testing.Rows;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lease reaper with unknownOutcome: park (today's behaviour) or resend within the attempt budget. */
class UnknownOutcomeReapTest extends DispatchStoreFixture {
    private static final String RESENT = "SELECT COUNT(*) FROM message_event WHERE status = 'queued' AND reason LIKE '%unknownOutcome=resend%"
            + " ambiguous repeat%' AND message_id = ";

    /** {@code n} messages of {@code application} sending with {@code attempts} made, their send lease lapsed. */
    private long sendingWithLapsedLease(String application, String channel, int n, int attempts) throws Exception {
        long first = Rows.insertQueued(database, application, 2, n, channel, channel.equals("webhook") ? "https://example.com/h" : "t");
        store.acquireFence(1, "leader");
        store.claim(1, "leader", 1_000, Duration.ofMinutes(1));
        execute("UPDATE message SET status = 'sending', attempts = " + attempts + ", next_attempt_at = TIMESTAMPADD(SECOND, -1, NOW(3))"
                + " WHERE application = '" + application + "'");
        return first;
    }

    private void choose(String application, String choice) throws Exception {
        execute("INSERT INTO application_policy (application, unknown_outcome) VALUES ('" + application + "', '" + choice + "')"
                + " ON DUPLICATE KEY UPDATE unknown_outcome = VALUES(unknown_outcome)");
    }

    @Test
    void an_application_that_resends_gets_its_messages_queued_again_as_ambiguous_attempts() throws Exception {
        choose("billing", "resend");
        long first = sendingWithLapsedLease("billing", "log", 3, 1);

        DispatchStore.Reaped reaped = store.reap(1, "leader", 100);

        assertThat(reaped).isEqualTo(new DispatchStore.Reaped(0, 0, 3));
        assertThat(Rows.statusCounts(database)).containsExactly(java.util.Map.entry("queued", 3));
        assertThat(Rows.events(database, first)).containsExactly("dispatched@leader", "queued@leader");
        assertThat(Rows.count(database, RESENT + first)).isEqualTo(1);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE ambiguous_attempts = 1 AND attempts = 1"
                + " AND next_attempt_at <= NOW(3)")).isEqualTo(3);
        // Queued again, due now: the next claim takes them.
        assertThat(store.claim(1, "leader", 10, Duration.ofMinutes(1)).messageIds()).hasSize(3);
    }

    @Test
    void an_application_that_parks_and_one_that_sets_nothing_get_unknown_as_before() throws Exception {
        choose("parker", "park");
        long parked = sendingWithLapsedLease("parker", "log", 1, 1);
        long unset = sendingWithLapsedLease("quiet", "log", 1, 1);

        assertThat(store.reap(1, "leader", 100)).isEqualTo(new DispatchStore.Reaped(0, 2, 0));
        assertThat(Rows.statusCounts(database)).containsExactly(java.util.Map.entry("unknown", 2));
        assertThat(Rows.events(database, parked)).containsExactly("dispatched@leader", "unknown@leader");
        assertThat(Rows.events(database, unset)).containsExactly("dispatched@leader", "unknown@leader");
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE ambiguous_attempts = 0")).isEqualTo(2);
    }

    @Test
    void a_resend_spends_an_attempt_and_a_message_with_none_left_is_parked() throws Exception {
        choose("billing", "resend");
        // worker.maxAttempts is 5: the fifth attempt cut off leaves nothing to resend with.
        long spent = sendingWithLapsedLease("billing", "email", 1, 5);
        execute("UPDATE message SET retry_base = 1 WHERE id = " + spent);

        assertThat(store.reap(1, "leader", 100)).isEqualTo(new DispatchStore.Reaped(0, 0, 1));

        execute("UPDATE message SET status = 'sending', attempts = 6, next_attempt_at = TIMESTAMPADD(SECOND, -1, NOW(3)) WHERE id = " + spent);
        assertThat(store.reap(1, "leader", 100)).isEqualTo(new DispatchStore.Reaped(0, 1, 0));
        assertThat(Rows.statusCounts(database)).containsExactly(java.util.Map.entry("unknown", 1));
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE status = 'unknown' AND reason LIKE"
                + " '%not resent: its attempts are used%' AND message_id = " + spent)).isEqualTo(1);
    }

    @Test
    void a_webhook_counts_against_its_applications_retry_schedule() throws Exception {
        choose("hooks", "resend");
        execute("UPDATE application_policy SET retry_schedule = '5s' WHERE application = 'hooks'");
        long first = sendingWithLapsedLease("hooks", "webhook", 2, 1);
        execute("UPDATE message SET attempts = 2 WHERE id = " + (first + 1));

        assertThat(store.reap(1, "leader", 100)).isEqualTo(new DispatchStore.Reaped(0, 1, 1));
        assertThat(Rows.events(database, first)).endsWith("queued@leader");
        assertThat(Rows.events(database, first + 1)).endsWith("unknown@leader");
    }

    @Test
    void policy_unknown_outcome_resend_is_the_default_for_applications_without_a_choice() throws Exception {
        PolicyConfig resendByDefault = new PolicyConfig();
        resendByDefault.unknownOutcome = "resend";
        store = DispatchStores.standard(database, resendByDefault, Duration.ofSeconds(5), metrics);
        choose("parker", "park");
        sendingWithLapsedLease("quiet", "log", 2, 1);
        sendingWithLapsedLease("parker", "log", 1, 1);

        assertThat(store.reap(1, "leader", 100)).isEqualTo(new DispatchStore.Reaped(0, 1, 2));
    }
}
