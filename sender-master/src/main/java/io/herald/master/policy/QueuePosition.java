package io.herald.master.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a queued or scheduled message stands (README, "Queue position"): {@code ahead} messages of its
 * application come before it in the claim's order, counted up to a cap ({@code atLeast}: there are more),
 * and when it may be dispatched at its application's recent dispatch rate.
 *
 * @param estimatedDispatchAt null when there is no estimate: messages are ahead and the application
 *     dispatched none lately (or no master leads)
 */
public record QueuePosition(long ahead, boolean atLeast, Instant estimatedDispatchAt) {
    /** Estimates are not given beyond a year: past that, the rate says nothing useful. */
    static final Duration HORIZON = Duration.ofDays(366);

    /**
     * The position of a message due at {@code due}, given the database's {@code now} and the application's
     * rate ({@code perSecond}, 0 when unknown): at its due time, or when the messages ahead of it have gone
     * at that rate, whichever is later.
     */
    public static QueuePosition of(long ahead, boolean atLeast, Instant due, Instant now, double perSecond) {
        Instant earliest = due.isAfter(now) ? due : now;
        if (ahead == 0) {
            return new QueuePosition(0, atLeast, earliest);
        }
        if (!(perSecond > 0)) {
            return new QueuePosition(ahead, atLeast, null);
        }
        double seconds = ahead / perSecond;
        if (seconds > HORIZON.toSeconds()) {
            return new QueuePosition(ahead, atLeast, null);
        }
        Instant drained = now.plusMillis((long) Math.ceil(seconds * 1_000));
        return new QueuePosition(ahead, atLeast, drained.isAfter(earliest) ? drained : earliest);
    }
}
