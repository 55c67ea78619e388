package io.herald.worker.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a receiver's {@code Retry-After} (delta-seconds or an HTTP-date), saturating: the wait is
 * at most {@code cap}, however large the number or however far the date. A receiver can ask for a
 * longer wait, never overflow Herald's arithmetic.
 */
public final class RetryAfter {
    private RetryAfter() {}

    /** The wait, between zero and {@code cap}; null when the value is absent or unreadable. */
    public static Duration parse(String value, Instant now, Duration cap) {
        // strip, not trim: trim also removes control characters such as NUL, leaving "" to parse (found by
        // RetryAfterFuzzTest). Only ASCII digits: Character.isDigit also takes other scripts' digits.
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        if (asciiDigits(trimmed)) {
            return seconds(trimmed, cap);
        }
        if (trimmed.startsWith("-") && trimmed.length() > 1 && asciiDigits(trimmed.substring(1))) {
            return Duration.ZERO;
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            if (!at.isAfter(now)) {
                return Duration.ZERO;
            }
            // Compared as instants first: Duration.between a year-9999 date fits, but toMillis of it may not.
            return at.isAfter(now.plus(cap)) ? cap : Duration.between(now, at);
        } catch (DateTimeParseException | ArithmeticException notDate) {
            return null;
        }
    }

    private static boolean asciiDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static Duration seconds(String digits, Duration cap) {
        // More than 18 digits cannot be a wait shorter than any cap Herald takes.
        if (digits.length() > 18) {
            return cap;
        }
        long seconds = Long.parseLong(digits);
        return seconds >= cap.getSeconds() ? cap : Duration.ofSeconds(seconds);
    }
}
