package io.herald.tools.drill;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the receivers saw, per Herald message id: how many deliveries they kept, and how many of those
 * they kept without telling the sender (a timeout or a dropped connection after accepting). The
 * drill's loss and duplicate counts come from here; only which repeats are excused comes from Herald's
 * own record of ambiguous attempts.
 */
final class DeliveryLedger {
    /** One message's record at the receivers. */
    static final class Entry {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger kept = new AtomicInteger();
        final AtomicInteger keptUnacknowledged = new AtomicInteger();
        /** Deliveries whose ids a receiver dedups by did not match: a resend must carry the same ones. */
        final AtomicInteger idMismatches = new AtomicInteger();
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final FaultPlan faults;

    DeliveryLedger(FaultPlan faults) {
        this.faults = faults;
    }

    /** Records one delivery attempt at a receiver and says how to answer it. */
    FaultPlan.Answer arrive(long messageId) {
        return arrive(messageId, true);
    }

    /**
     * As above, for a receiver that also read a second id it could drop repeats by (a webhook's
     * {@code webhook-id} beside its {@code Idempotency-Key}): {@code idsAgree} false when the two differ.
     */
    FaultPlan.Answer arrive(long messageId, boolean idsAgree) {
        Entry entry = entries.computeIfAbsent(messageId, id -> new Entry());
        if (!idsAgree) {
            entry.idMismatches.incrementAndGet();
        }
        FaultPlan.Answer answer = faults.answer(messageId, entry.attempts.incrementAndGet());
        if (answer.keeps()) {
            entry.kept.incrementAndGet();
        }
        if (answer.ambiguous) {
            entry.keptUnacknowledged.incrementAndGet();
        }
        return answer;
    }

    Entry entry(long messageId) {
        return entries.get(messageId);
    }

    /** Distinct messages kept at least once. */
    int delivered() {
        return (int) entries.values().stream().filter(e -> e.kept.get() > 0).count();
    }
}
