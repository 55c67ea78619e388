package io.herald.common.channel;

import java.time.Duration;

/** Spaces sends to one key (a webhook URL, a sender number) at most a set rate apart. Thread-safe. */
public interface Pacer {
    /**
     * The key's next free slot: reserved when it comes within {@code maxWait}, and then the send waits
     * {@link Slot#delay()} (zero: at once); otherwise nothing is reserved and the delay says how far off it is.
     */
    Slot reserve(String key, Duration maxWait);

    /** What {@link #reserve} found. */
    record Slot(boolean reserved, Duration delay) {
        public static final Slot NOW = new Slot(true, Duration.ZERO);
    }

    /** The provider asked the key to wait (a 429's Retry-After): no slot before then. */
    void holdOff(String key, Duration wait);

    /** The interval between two of this worker's sends to one key. */
    Duration interval();

    /** No pace: every send goes at once. */
    static Pacer unpaced() {
        return new Pacer() {
            @Override
            public Slot reserve(String key, Duration maxWait) {
                return Slot.NOW;
            }

            @Override
            public void holdOff(String key, Duration wait) {}

            @Override
            public Duration interval() {
                return Duration.ZERO;
            }
        };
    }
}
