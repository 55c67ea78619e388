package io.herald.master.policy;

import io.herald.common.model.Channel;
import io.herald.common.webhook.RetrySchedule;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An application's choice for a message whose send lease expired with no outcome recorded (its worker
 * died or stalled mid-send): {@code park} makes it {@code unknown} for an operator; {@code resend} queues it
 * again, so that a receiver that drops repeats by {@code Idempotency-Key} or {@code webhook-id} needs no
 * operator after a worker crash. A resend spends an attempt of the message's retry budget, so it is
 * bounded: with no attempt left the message is parked as with {@code park}.
 */
public enum UnknownOutcome {
    PARK, RESEND;

    /** What the lease reaper does with one expired message. */
    public enum Decision {
        /** The application parks unknown outcomes: {@code unknown}, for an operator. */
        PARK,
        /** Queued again at once, with the same ids; counted as an ambiguous attempt. */
        RESEND,
        /** The application resends, but the message has used its attempts: {@code unknown}, for an operator. */
        PARK_ATTEMPTS_USED
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice written {@code text} ({@code park} or {@code resend}, any case), if it is one. */
    public static Optional<UnknownOutcome> fromWire(String text) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(text.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /**
     * @param attemptsUsed attempts counted against the budget, the one that was cut off included
     *     ({@code attempts - retry_base})
     * @param maxAttempts the message's budget ({@link Budget#maxAttempts})
     */
    public Decision decide(int attemptsUsed, int maxAttempts) {
        if (this == PARK) {
            return Decision.PARK;
        }
        return attemptsUsed < maxAttempts ? Decision.RESEND : Decision.PARK_ATTEMPTS_USED;
    }

    /**
     * The attempt budgets the workers apply, read from the same configuration: a webhook has its
     * application's retry schedule (or {@code webhook.retrySchedule}), every other channel
     * {@code worker.maxAttempts}.
     */
    public record Budget(int maxAttempts, RetrySchedule webhookSchedule) {
        /** @param storedSchedule the application's {@code retry_schedule}, or null for the default */
        public int maxAttempts(String channel, String storedSchedule) {
            if (!Channel.WEBHOOK.wireName().equals(channel)) {
                return maxAttempts;
            }
            if (storedSchedule == null) {
                return webhookSchedule.maxAttempts();
            }
            try {
                return RetrySchedule.parse(storedSchedule).maxAttempts();
            } catch (IllegalArgumentException e) {
                // The admin task stores only schedules it parsed; a bad row resends nothing rather than guess.
                return 0;
            }
        }
    }
}
