package io.herald.master.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.PolicyConfig;
import io.herald.master.policy.FairShare.Group;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareTest {
    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    private final PolicyConfig.PriorityWeights priorities = new PolicyConfig().priorityWeights;

    @Test
    void applications_share_by_weight_then_priorities_by_weight_within_each_share() {
        Group aUrgent = new Group("a", 0, T0);
        Group aLow = new Group("a", 3, T0);
        Group b = new Group("b", 2, T0);
        Map<Group, Integer> quotas = FairShare.split(1000, List.of(aUrgent, aLow, b), app -> app.equals("a") ? 3 : 1, priorities);
        assertThat(quotas).containsEntry(aUrgent, 667).containsEntry(aLow, 83).containsEntry(b, 250);
    }

    @Test
    void every_group_gets_a_slot_when_there_are_enough_and_the_total_is_exact() {
        Group big = new Group("big", 0, T0);
        Group small = new Group("small", 3, T0.plusSeconds(1));
        Map<Group, Integer> quotas = FairShare.split(3, List.of(big, small), app -> app.equals("big") ? 1000 : 1, priorities);
        assertThat(quotas).containsEntry(big, 2).containsEntry(small, 1);
    }

    @Test
    void when_slots_are_scarce_the_longest_waiting_groups_get_them() {
        Group newest = new Group("a", 0, T0.plusSeconds(10));
        Group oldest = new Group("b", 3, T0);
        Group middle = new Group("c", 1, T0.plusSeconds(5));
        Map<Group, Integer> quotas = FairShare.split(2, List.of(newest, oldest, middle), app -> 1, priorities);
        assertThat(quotas).containsOnlyKeys(oldest, middle).containsEntry(oldest, 1).containsEntry(middle, 1);
    }

    @Test
    void nothing_to_split_gives_nothing() {
        assertThat(FairShare.split(0, List.of(new Group("a", 0, T0)), app -> 1, priorities)).isEmpty();
        assertThat(FairShare.split(10, List.of(), app -> 1, priorities)).isEmpty();
    }
}
