package io.herald.worker.db;

import java.time.Duration;

/** Values as the worker's tables take them. */
final class SqlValues {
    private static final Duration LONGEST_WAIT = Duration.ofDays(3_650);

    private SqlValues() {}

    /** A wait in microseconds for TIMESTAMPADD, saturating at ten years instead of overflowing. */
    static long saturatedMicros(Duration wait) {
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() / 1_000 : Math.max(0, wait.toNanos() / 1_000);
    }

    /** An error as {@code last_error} keeps it: at most 2,000 characters. */
    static String truncate(String error) {
        return error == null || error.length() <= 2_000 ? error : error.substring(0, 2_000);
    }
}
