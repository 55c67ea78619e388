package io.herald.tools.bench;

/**
 * When each batch of an offered load is due: tick {@code i} at {@code start + i * interval}. A message
 * carries its batch's due time, not the time the client got round to sending it, so the latency the
 * receiver measures includes any delay the client (or the API refusing to keep up) put in front of it.
 */
final class SendSchedule {
    private final long startMicros;
    private final long intervalMicros;

    SendSchedule(long startMicros, long intervalMicros) {
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.startMicros = startMicros;
        this.intervalMicros = intervalMicros;
    }

    /** The epoch microsecond at which tick {@code tick} is due. */
    long dueMicros(long tick) {
        return startMicros + tick * intervalMicros;
    }

}
