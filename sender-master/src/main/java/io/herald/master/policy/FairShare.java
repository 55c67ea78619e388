package io.herald.master.policy;

import io.herald.common.config.PolicyConfig.PriorityWeights;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Splits one claim batch between the (application, priority) groups that have due messages.
 *
 * <p>The rule, in two levels. First, the batch is split between applications in proportion to their
 * weights. Then each application's share is split between its priorities in proportion to the
 * priority weights (8:4:2:1 by default). Every group gets at least one slot whenever the batch has a
 * slot per group, so no application and no priority starves. When there are more groups than slots,
 * the groups whose oldest due message has waited longest get the slots: a group that was passed over
 * only gets older, so it is served in a later batch. Shares are rounded by largest remainder.
 *
 * <p>An application cannot buy itself a larger share by marking everything urgent: priorities only
 * order messages within the application's own share.
 */
public final class FairShare {
    private FairShare() {}

    /** Due messages of one application at one priority; {@code head} is when the oldest became due. */
    public record Group(String application, int priority, Instant head) {}

    /** The number of messages to claim from each group; the total never exceeds {@code limit}. */
    public static Map<Group, Integer> split(int limit, List<Group> groups, ToIntFunction<String> applicationWeight,
                                            PriorityWeights priorityWeights) {
        Map<String, List<Group>> byApplication = new LinkedHashMap<>();
        for (Group g : groups) {
            byApplication.computeIfAbsent(g.application(), a -> new ArrayList<>()).add(g);
        }
        List<Share<String>> applications = new ArrayList<>();
        byApplication.forEach((application, its) -> applications.add(new Share<>(application,
                applicationWeight.applyAsInt(application), its.stream().map(Group::head).min(Comparator.naturalOrder()).orElseThrow())));
        Map<Group, Integer> quotas = new HashMap<>();
        apportion(limit, applications).forEach((application, share) -> {
            List<Share<Group>> priorities = byApplication.get(application).stream()
                    .map(g -> new Share<>(g, priorityWeights.ofRank(g.priority()), g.head()))
                    .toList();
            quotas.putAll(apportion(share, priorities));
        });
        quotas.values().removeIf(n -> n == 0);
        return quotas;
    }

    /** One claimant of slots: its weight, and how long it has waited (for tie-breaks and scarcity). */
    record Share<K>(K key, int weight, Instant head) {}

    /** Splits {@code total} slots in proportion to weight, at least one each when there are enough. */
    static <K> Map<K, Integer> apportion(int total, List<Share<K>> shares) {
        List<Share<K>> oldestFirst = new ArrayList<>(shares);
        oldestFirst.sort(Comparator.comparing(Share<K>::head));
        Map<K, Integer> result = new LinkedHashMap<>();
        if (total <= 0 || shares.isEmpty()) {
            return result;
        }
        if (shares.size() > total) {
            for (int i = 0; i < total; i++) {
                result.put(oldestFirst.get(i).key(), 1);
            }
            return result;
        }
        long weightSum = shares.stream().mapToLong(Share::weight).sum();
        int given = 0;
        List<Share<K>> byRemainder = new ArrayList<>(oldestFirst);
        Map<K, Long> remainders = new HashMap<>();
        for (Share<K> s : oldestFirst) {
            long exact = (long) total * s.weight();
            int floor = (int) (exact / weightSum);
            result.put(s.key(), floor);
            remainders.put(s.key(), exact % weightSum);
            given += floor;
        }
        // Stable sort: equal remainders keep oldest-first order.
        byRemainder.sort(Comparator.comparing((Share<K> s) -> remainders.get(s.key())).reversed());
        for (int i = 0; given < total; i++, given++) {
            result.merge(byRemainder.get(i).key(), 1, Integer::sum);
        }
        guaranteeOneEach(result);
        return result;
    }

    /** Moves single slots from the largest shares to any share rounded down to nothing. */
    private static <K> void guaranteeOneEach(Map<K, Integer> result) {
        for (Map.Entry<K, Integer> empty : result.entrySet()) {
            if (empty.getValue() == 0) {
                Map.Entry<K, Integer> largest = result.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                largest.setValue(largest.getValue() - 1);
                empty.setValue(1);
            }
        }
    }
}
