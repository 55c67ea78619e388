package io.herald.master.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.webhook.RetrySchedule;
import io.herald.master.policy.UnknownOutcome.Decision;
import org.junit.jupiter.api.Test;

class UnknownOutcomeTest {
    private final UnknownOutcome.Budget budget = new UnknownOutcome.Budget(5, RetrySchedule.parse("5s, 5m, 30m"));

    @Test
    void park_parks_whatever_the_attempts() {
        assertThat(UnknownOutcome.PARK.decide(1, 5)).isEqualTo(Decision.PARK);
        assertThat(UnknownOutcome.PARK.decide(5, 5)).isEqualTo(Decision.PARK);
    }

    @Test
    void resend_resends_while_the_cut_off_attempt_left_one_over() {
        assertThat(UnknownOutcome.RESEND.decide(1, 5)).isEqualTo(Decision.RESEND);
        assertThat(UnknownOutcome.RESEND.decide(4, 5)).isEqualTo(Decision.RESEND);
        assertThat(UnknownOutcome.RESEND.decide(5, 5)).isEqualTo(Decision.PARK_ATTEMPTS_USED);
        assertThat(UnknownOutcome.RESEND.decide(9, 5)).isEqualTo(Decision.PARK_ATTEMPTS_USED);
    }

    @Test
    void a_message_with_no_budget_is_never_resent() {
        assertThat(UnknownOutcome.RESEND.decide(0, 0)).isEqualTo(Decision.PARK_ATTEMPTS_USED);
    }

    @Test
    void webhooks_follow_their_applications_schedule_and_other_channels_the_workers_attempts() {
        assertThat(budget.maxAttempts("email", null)).isEqualTo(5);
        assertThat(budget.maxAttempts("log", "5s")).isEqualTo(5);
        assertThat(budget.maxAttempts("webhook", null)).isEqualTo(4);
        assertThat(budget.maxAttempts("webhook", "5s")).isEqualTo(2);
        assertThat(budget.maxAttempts("webhook", "not a schedule")).isZero();
    }

    @Test
    void the_wire_names_are_read_in_any_case_and_nothing_else_is() {
        assertThat(UnknownOutcome.fromWire(" Resend ")).contains(UnknownOutcome.RESEND);
        assertThat(UnknownOutcome.fromWire("park")).contains(UnknownOutcome.PARK);
        assertThat(UnknownOutcome.fromWire("retry")).isEmpty();
        assertThat(UnknownOutcome.RESEND.wireName()).isEqualTo("resend");
    }
}
