package io.herald.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
    @Test
    void off_every_delivery_is_accepted() {
        FaultPlan plan = new FaultPlan(42);
        for (long id = 1; id <= 1_000; id++) {
            assertThat(plan.answer(id, 1)).isEqualTo(FaultPlan.Answer.ACCEPT);
        }
    }

    @Test
    void on_the_same_seed_faults_the_same_attempts_and_every_kind_of_fault_occurs() {
        FaultPlan first = new FaultPlan(42);
        FaultPlan second = new FaultPlan(42);
        first.enable(true);
        second.enable(true);
        Map<FaultPlan.Answer, Integer> seen = new EnumMap<>(FaultPlan.Answer.class);
        for (long id = 1; id <= 2_000; id++) {
            FaultPlan.Answer answer = first.answer(id, 1);
            assertThat(second.answer(id, 1)).isEqualTo(answer);
            seen.merge(answer, 1, Integer::sum);
        }
        assertThat(seen).containsOnlyKeys(FaultPlan.Answer.values());
        assertThat(seen.get(FaultPlan.Answer.ACCEPT)).isGreaterThan(1_000);
    }

    @Test
    void only_late_and_dropped_answers_are_ambiguous_and_they_keep_the_message() {
        for (FaultPlan.Answer answer : FaultPlan.Answer.values()) {
            boolean ambiguous = answer == FaultPlan.Answer.TIMEOUT_AFTER_ACCEPT || answer == FaultPlan.Answer.CLOSE_AFTER_ACCEPT;
            assertThat(answer.ambiguous).isEqualTo(ambiguous);
            assertThat(answer.keeps()).isEqualTo(ambiguous || answer == FaultPlan.Answer.ACCEPT);
        }
    }
}
