package io.herald.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

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
    void a_second_delivery_is_a_duplicate_unless_the_first_was_kept_without_an_answer() {
        ledger.arrive(1);
        ledger.arrive(1);
        Verdict v = Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(), 0);
        assertThat(v.duplicated).isEqualTo(1);
        assertThat(v.duplicatedSample).containsExactly(1L);

        DeliveryLedger.Entry ambiguous = ledger.entry(1);
        ambiguous.keptUnacknowledged.incrementAndGet();
        Verdict w = Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(), 0);
        assertThat(w.duplicated).isZero();
        assertThat(w.ambiguousMessages).isEqualTo(1);
        assertThat(w.ambiguousRepeats).isEqualTo(1);
    }

    @Test
    void each_attempt_the_receiver_did_not_refuse_allows_one_ambiguous_repeat() {
        // Attempt 1 was kept but its answer never reached the worker (a timeout, or a worker that died
        // before recording): Herald tried again, and attempt 2 arrived too.
        ledger.arrive(7);
        ledger.arrive(7);
        Verdict v = Verdict.of(Set.of(7L), ledger, Map.of(), Map.of(7L, 2), List.of(), 0);
        assertThat(v.duplicated).isZero();
        assertThat(v.ambiguousRepeats).isEqualTo(1);
        // A third arrival from two attempts means one attempt went out twice.
        ledger.arrive(7);
        assertThat(Verdict.of(Set.of(7L), ledger, Map.of(), Map.of(7L, 2), List.of(), 0).duplicated).isEqualTo(1);
    }

    @Test
    void an_attempt_the_receiver_refused_allows_no_repeat() {
        faults.enable(true);
        long id = firstIdWhoseFirstAttemptIsRefused();
        faults.enable(false);
        ledger.arrive(id); // attempt 2: kept
        ledger.arrive(id); // the same attempt again: a duplicate, since attempt 1 was refused outright
        Verdict v = Verdict.of(Set.of(id), ledger, Map.of(), Map.of(id, 2), List.of(), 0);
        assertThat(v.duplicated).isEqualTo(1);
    }

    private long firstIdWhoseFirstAttemptIsRefused() {
        for (long id = 1; ; id++) {
            if (!ledger.arrive(id).keeps()) {
                return id;
            }
        }
    }

    @Test
    void fence_tokens_going_back_or_unfinished_messages_break_the_verdict() {
        ledger.arrive(1);
        assertThat(Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(3L, 5L, 4L), 0).holds()).isFalse();
        assertThat(Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(3L, 3L, 5L), 0).holds()).isTrue();
        assertThat(Verdict.of(Set.of(1L), ledger, Map.of(), Map.of(1L, 1), List.of(), 2).holds()).isFalse();
    }
}
