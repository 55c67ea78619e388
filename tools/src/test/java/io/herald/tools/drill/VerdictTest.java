package io.herald.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private final FaultPlan faults = new FaultPlan(1);
    private final DeliveryLedger ledger = new DeliveryLedger(faults);

    @Test
    void a_message_delivered_once_is_delivered_and_nothing_else() {
        ledger.arrive(1);
        Verdict v = Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(0L, 1L), 0);
        assertThat(v.delivered).isEqualTo(1);
        assertThat(v.lost).isZero();
        assertThat(v.duplicated).isZero();
        assertThat(v.holds()).isTrue();
    }

    @Test
    void an_accepted_message_no_receiver_kept_is_lost_unless_dead_lettered_with_a_reason() {
        Verdict v = Verdict.of(Set.of(1L, 2L, 3L), ledger, Map.of(2L, "webhook answered HTTP 410"), Map.of(), List.of(), 0);
        assertThat(v.deadLettered).isEqualTo(1);
        assertThat(v.lost).isEqualTo(2);
        assertThat(v.lostSample).containsExactlyInAnyOrder(1L, 3L);
        assertThat(v.holds()).isFalse();
    }

    @Test
    void a_second_delivery_is_a_duplicate_unless_herald_recorded_the_first_attempt_as_ambiguous() {
        ledger.arrive(1);
        ledger.arrive(1);
        Verdict v = Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 0), List.of(), 0);
        assertThat(v.duplicated).isEqualTo(1);
        assertThat(v.duplicatedSample).containsExactly(1L);

        Verdict w = Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(), 0);
        assertThat(w.duplicated).isZero();
        assertThat(w.ambiguousMessages).isEqualTo(1);
        assertThat(w.ambiguousRepeats).isEqualTo(1);
    }

    @Test
    void each_recorded_ambiguous_attempt_allows_one_repeat_and_no_more() {
        ledger.arrive(7);
        ledger.arrive(7);
        ledger.arrive(7);
        Verdict v = Verdict.of(Set.of(7L), ledger, Map.of(), Map.of(7L, 2), List.of(), 0);
        assertThat(v.duplicated).isZero();
        assertThat(v.ambiguousRepeats).isEqualTo(2);
        // Only one recorded: the third arrival is a duplicate.
        assertThat(Verdict.of(Set.of(7L), ledger, Map.of(), Map.of(7L, 1), List.of(), 0).duplicated).isEqualTo(1);
    }

    @Test
    void a_receiver_keeping_an_attempt_unanswered_that_herald_did_not_record_is_reported() {
        ledger.arrive(3);
        ledger.entry(3).keptUnacknowledged.incrementAndGet();
        assertThat(Verdict.of(Set.of(3L), ledger, Map.of(), Map.of(3L, 0), List.of(), 0).unrecordedAmbiguity).isEqualTo(1);
        assertThat(Verdict.of(Set.of(3L), ledger, Map.of(), Map.of(3L, 1), List.of(), 0).unrecordedAmbiguity).isZero();
    }

    @Test
    void fence_tokens_going_back_or_unfinished_messages_break_the_verdict() {
        ledger.arrive(1);
        assertThat(Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(3L, 5L, 4L), 0).holds()).isFalse();
        assertThat(Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(3L, 3L, 5L), 0).holds()).isTrue();
        assertThat(Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(), 2).holds()).isFalse();
    }

    @Test
    void the_report_lists_the_totals_in_order_with_the_fence_check_by_its_reports_name() throws Exception {
        ledger.arrive(1);
        Verdict v = Verdict.of(Set.of(1L, 2L), ledger, Map.of(), Map.of(), List.of(1L, 2L), 0);
        assertThat(new ObjectMapper().writeValueAsString(v)).isEqualTo("{\"accepted\":2,\"delivered\":1,\"deadLettered\":0,\"lost\":1,"
                + "\"duplicated\":0,\"ambiguousMessages\":0,\"ambiguousRepeats\":0,\"unrecordedAmbiguity\":0,\"unfinished\":0,"
                + "\"fenceTokensNeverWentBack\":true,\"resentAfterUnknown\":0,\"resendRepeats\":0,\"idMismatches\":0,"
                + "\"resendApplicationParkedWithAttemptsLeft\":0,\"lostSample\":[2],\"duplicatedSample\":[]}");
    }

    @Test
    void a_resend_after_an_unknown_outcome_is_an_ambiguous_repeat_when_it_carried_the_same_ids() {
        ledger.arrive(4);
        ledger.arrive(4);
        // The reaper's resend is recorded as an ambiguous attempt, which excuses the repeat.
        Verdict v = Verdict.of(Set.of(4L), ledger, Map.of(), Map.of(4L, 1), List.of(), 0).withResends(Set.of(4L), ledger, Set.of(4L), 0);
        assertThat(v.duplicated).isZero();
        assertThat(v.ambiguousRepeats).isEqualTo(1);
        assertThat(v.resentMessages).isEqualTo(1);
        assertThat(v.resendRepeats).isEqualTo(1);
        assertThat(v.holds()).isTrue();
    }

    @Test
    void a_repeat_with_another_webhook_id_or_a_resending_applications_message_parked_breaks_the_verdict() {
        ledger.arrive(5);
        ledger.arrive(5, false);
        Verdict mismatched = Verdict.of(Set.of(5L), ledger, Map.of(), Map.of(5L, 1), List.of(), 0).withResends(Set.of(5L), ledger, Set.of(5L), 0);
        assertThat(mismatched.idMismatches).isEqualTo(1);
        assertThat(mismatched.holds()).isFalse();

        ledger.arrive(6);
        Verdict parked = Verdict.of(Set.of(6L), ledger, Map.of(), Map.of(6L, 1), List.of(), 0).withResends(Set.of(6L), ledger, Set.of(), 1);
        assertThat(parked.resendParked).isEqualTo(1);
        assertThat(parked.holds()).isFalse();
    }
}
