package io.herald.tools.drill;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the drill's receivers answer each delivery. Off, every delivery is accepted. On (the
 * {@code receiver-faults} scenario), a share of deliveries gets a fault, chosen from the seed, the
 * message id and the attempt number, so a run with the same seed faults the same attempts.
 */
final class FaultPlan {
    /** A receiver's answer to one delivery. */
    enum Answer {
        /** 2xx or SMTP 250: delivered. */
        ACCEPT(false),
        /** HTTP 500 or SMTP 451: not delivered, retry. */
        TRANSIENT(false),
        /** HTTP 429 with Retry-After or SMTP 452: not delivered, retry later. */
        THROTTLE(false),
        /**
         * HTTP 422 or SMTP 550 5.7.1: not delivered, never will be: a dead letter. Not 410 or 5.1.1, which also put
         * the target on the suppression list and so would change every later message to it.
         */
        PERMANENT(false),
        /** Kept, then answered only after the sender gave up waiting: the sender cannot know. */
        TIMEOUT_AFTER_ACCEPT(true),
        /** Kept, then the connection closed without an answer: the synchronization gap. */
        CLOSE_AFTER_ACCEPT(true);

        /** The receiver kept the message but the sender saw a failure, so a retry is a counted ambiguous repeat. */
        final boolean ambiguous;

        Answer(boolean ambiguous) {
            this.ambiguous = ambiguous;
        }

        boolean keeps() {
            return this == ACCEPT || ambiguous;
        }
    }

    // Cumulative thresholds out of 1000 while faults are on: what remains is ACCEPT.
    private static final int TRANSIENT_UNTIL = 150;
    private static final int THROTTLE_UNTIL = 200;
    private static final int PERMANENT_UNTIL = 220;
    private static final int TIMEOUT_UNTIL = 250;
    private static final int CLOSE_UNTIL = 300;

    private final long seed;
    private final Map<Answer, LongAdder> given = new ConcurrentHashMap<>();
    private volatile boolean on;

    FaultPlan(long seed) {
        this.seed = seed;
    }

    void enable(boolean enabled) {
        on = enabled;
    }

    Answer answer(long messageId, int attempt) {
        Answer answer = on ? choose(messageId, attempt) : Answer.ACCEPT;
        given.computeIfAbsent(answer, a -> new LongAdder()).increment();
        return answer;
    }

    private Answer choose(long messageId, int attempt) {
        int roll = new SplittableRandom(seed ^ (messageId * 0x9E3779B97F4A7C15L) ^ attempt).nextInt(1000);
        if (roll < TRANSIENT_UNTIL) {
            return Answer.TRANSIENT;
        } else if (roll < THROTTLE_UNTIL) {
            return Answer.THROTTLE;
        } else if (roll < PERMANENT_UNTIL) {
            return Answer.PERMANENT;
        } else if (roll < TIMEOUT_UNTIL) {
            return Answer.TIMEOUT_AFTER_ACCEPT;
        } else if (roll < CLOSE_UNTIL) {
            return Answer.CLOSE_AFTER_ACCEPT;
        }
        return Answer.ACCEPT;
    }

    long given(Answer answer) {
        LongAdder n = given.get(answer);
        return n == null ? 0 : n.sum();
    }
}
