package io.herald.common.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a message stands. The database and wire name is the lower-case constant name.
 *
 * <pre>
 * queued ──leader claims──▶ dispatched ──worker records dedup key──▶ sending ──▶ sent
 *   ▲                          │ lease expires                         │ transient failure, attempts left ─▶ queued
 *   └──────────────────────────┘                                       │ permanent failure or no attempts left ─▶ failed
 *                                                                      │ send lease expires (worker died) ─▶ unknown
 * failed, unknown ──operator requeue──▶ queued
 * queued ──leader claims over the application's hard quota──▶ rejected
 * </pre>
 */
public enum MessageStatus {
    QUEUED,
    DISPATCHED,
    SENDING,
    SENT,
    FAILED,
    UNKNOWN,
    /** Not sent: its application was over its hard quota when the leader claimed it. */
    REJECTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == SENT || this == FAILED || this == REJECTED;
    }

    public static MessageStatus fromWire(String value) {
        return find(value).orElseThrow(() -> new IllegalArgumentException("unknown message status " + value));
    }

    public static Optional<MessageStatus> find(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
