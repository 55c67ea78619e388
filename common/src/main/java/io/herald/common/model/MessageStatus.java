package io.herald.common.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a message stands. The database and wire name is the lower-case constant name. Which status may
 * follow which is {@link MessageTransition}'s table.
 */
public enum MessageStatus {
    QUEUED,
    /**
     * Reported, never stored: a message with a {@code sendAt} ahead is stored {@code queued}, due at its
     * {@code sendAt} ({@code next_attempt_at}), and reported {@code scheduled} until then ({@code
     * StatusSql.REPORTED}). The fair claim reads only due rows, so it never touches one before its time.
     */
    SCHEDULED,
    DISPATCHED,
    SENDING,
    SENT,
    /** A dead letter: a permanent failure, or retries used up. Listed, requeued and purged by operators. */
    DEAD,
    UNKNOWN,
    /** A dead letter an operator gave up on; deleted by retention like a sent message. */
    PURGED,
    /** Not sent: its application was over its hard quota when the leader claimed it. */
    REJECTED,
    /** Held for its target's digest; becomes sent (or dead) with the digest. */
    DIGESTED,
    /** Not sent: its application cancelled it while it was queued or scheduled. */
    CANCELLED,
    /** Not sent: its recipient had opted out of it (all, its channel or its category) and it was not critical. */
    OPTED_OUT,
    /**
     * Not sent: its target is on its application's suppression list (a hard bounce, a webhook's 410 Gone, or an
     * operator's entry). Critical messages too: a mailbox that does not exist cannot receive them either.
     */
    SUPPRESSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** No further change happens without an operator: a status waiter stops here. */
    public boolean isTerminal() {
        return this == SENT || this == DEAD || this == PURGED || this == REJECTED || this == CANCELLED || this == OPTED_OUT
                || this == SUPPRESSED;
    }

    /** The statuses {@link #isTerminal()} holds for; the drill and the bench count "finished" with these. */
    public static List<MessageStatus> terminal() {
        return Arrays.stream(values()).filter(MessageStatus::isTerminal).toList();
    }

    public static MessageStatus fromWire(String value) {
        return find(value).orElseThrow(() -> new IllegalArgumentException("unknown message status " + value));
    }

    public static Optional<MessageStatus> find(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
