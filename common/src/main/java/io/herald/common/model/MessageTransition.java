package io.herald.common.model;

import static io.herald.common.model.MessageStatus.CANCELLED;
import static io.herald.common.model.MessageStatus.DEAD;
import static io.herald.common.model.MessageStatus.DIGESTED;
import static io.herald.common.model.MessageStatus.DISPATCHED;
import static io.herald.common.model.MessageStatus.OPTED_OUT;
import static io.herald.common.model.MessageStatus.PURGED;
import static io.herald.common.model.MessageStatus.QUEUED;
import static io.herald.common.model.MessageStatus.REJECTED;
import static io.herald.common.model.MessageStatus.SENDING;
import static io.herald.common.model.MessageStatus.SENT;
import static io.herald.common.model.MessageStatus.SUPPRESSED;
import static io.herald.common.model.MessageStatus.UNKNOWN;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every status change a message may make, as data: the table that {@code common.transition.StatusChange}
 * enforces and that docs/ARCHITECTURE.md's state diagram is checked against ({@code MessageTransitionTest}).
 * A change not in this table is a bug.
 */
public enum MessageTransition {
    CLAIM(Actor.LEADER, "leader's fenced claim", DISPATCHED, QUEUED),
    REJECT(Actor.LEADER, "claimed past its application's hard quota", REJECTED, QUEUED),
    OPT_OUT(Actor.LEADER, "claimed for a recipient who opted out, not critical", OPTED_OUT, QUEUED),
    SUPPRESS(Actor.LEADER, "claimed for a target on the suppression list", SUPPRESSED, QUEUED),
    HOLD_FOR_DIGEST(Actor.LEADER, "claimed past its target's digest threshold", DIGESTED, QUEUED),
    DISPATCH_LEASE_EXPIRED(Actor.LEADER, "dispatch lease expires", QUEUED, DISPATCHED),
    START_SENDING(Actor.WORKER, "worker reserves its dedup key", SENDING, DISPATCHED),
    SEND_LEASE_EXPIRED(Actor.LEADER, "send lease expires (worker died)", UNKNOWN, SENDING),
    /** Its application chose unknownOutcome=resend: the resend spends an attempt and carries the same ids. */
    SEND_LEASE_EXPIRED_RESEND(Actor.LEADER, "send lease expires, application resends, attempts left", QUEUED, SENDING),
    /** From unknown too: a late outcome replaces the reaper's guess. */
    DELIVER(Actor.WORKER, "delivered", SENT, SENDING, UNKNOWN),
    RETRY(Actor.WORKER, "transient error, attempts left (backoff)", QUEUED, SENDING, UNKNOWN),
    FALL_BACK(Actor.WORKER, "fails for good, queued on the application's fallback (once)", QUEUED, SENDING, UNKNOWN),
    FAIL(Actor.WORKER, "permanent error or attempts used", DEAD, SENDING, UNKNOWN),
    DIGEST_DELIVERED(Actor.WORKER, "its digest is sent", SENT, DIGESTED),
    DIGEST_FAILED(Actor.WORKER, "its digest fails for good", DEAD, DIGESTED),
    REQUEUE(Actor.OPERATOR, "operator requeue", QUEUED, DEAD, UNKNOWN),
    PURGE(Actor.OPERATOR, "operator purge", PURGED, DEAD),
    /** From queued only (scheduled ones are queued): a dispatched message may already be with a worker. */
    CANCEL(Actor.APPLICATION, "its application cancels it (scheduled ones too)", CANCELLED, QUEUED);

    /** Who makes the change; {@code APPLICATION} is a caller of the API with the message's own key. */
    public enum Actor { LEADER, WORKER, OPERATOR, APPLICATION }

    private final Actor actor;
    private final String label;
    private final MessageStatus to;
    private final Set<MessageStatus> from;

    MessageTransition(Actor actor, String label, MessageStatus to, MessageStatus first, MessageStatus... more) {
        this.actor = actor;
        this.label = label;
        this.to = to;
        this.from = Set.copyOf(EnumSet.of(first, more));
    }

    public Actor actor() {
        return actor;
    }

    /** What makes the change, as the state diagram says it. */
    public String label() {
        return label;
    }

    public MessageStatus to() {
        return to;
    }

    /** The statuses a message may be in for this change; the update's guard. */
    public Set<MessageStatus> from() {
        return from;
    }

    /** The message became final here: its callback is queued (a final status moving on queues none). */
    public boolean makesFinal() {
        return to.isTerminal() && from.stream().noneMatch(MessageStatus::isTerminal);
    }

    /** The one transition from {@code from} to {@code to} by {@code actor}; anything else is a bug and throws. */
    public static MessageTransition of(Actor actor, MessageStatus from, MessageStatus to) {
        return Arrays.stream(values())
                .filter(t -> t.actor == actor && t.to == to && t.from.contains(from))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("illegal transition " + from.wireName() + " -> " + to.wireName()
                        + " by " + actor));
    }
}
