package io.herald.worker.db;

import io.herald.common.model.MessageStatus;
import io.herald.worker.core.Outcome;

/** The audit trail's reason for an outcome, as an operator reads it on {@code GET /v1/messages/{id}/events}. */
final class OutcomeReasons {
    private OutcomeReasons() {}

    /** {@code previousStatus} is the message's status before the outcome: unknown means the send lease had run out. */
    static String of(Outcome o, String previousStatus) {
        String late = MessageStatus.UNKNOWN.wireName().equals(previousStatus)
                ? " (recorded after the send lease had expired)" : "";
        if (o.isFallback()) {
            return "attempt " + o.attempt() + " failed for good" + late + ": " + o.error() + "; fallback: queued on "
                    + o.fallback().channel().wireName() + " to " + o.fallback().target();
        }
        if (o.notAttempted()) {
            return "attempt " + o.attempt() + " not made" + late + ": " + o.error()
                    + "; due again in " + o.retryDelay().toMillis() + " ms, no attempt spent";
        }
        return switch (o.status()) {
            case SENT -> "attempt " + o.attempt() + (o.isDryRun() ? " " + Outcome.DRY_RUN : " sent") + late;
            case QUEUED -> "attempt " + o.attempt() + " failed, retry in " + o.retryDelay().toMillis() + " ms" + late + ": " + o.error();
            default -> "attempt " + o.attempt() + " failed, dead-lettered" + late + ": " + o.error();
        };
    }
}
