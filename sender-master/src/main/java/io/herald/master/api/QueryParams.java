package io.herald.master.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses query parameters (and admin task parameters) or throws a 400 that names the parameter.
 * Absent values are null; nothing is defaulted here.
 */
public final class QueryParams {
    private static final Pattern MESSAGE_ID = Pattern.compile("0|[1-9][0-9]{0,17}");
    private QueryParams() {}

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h} or {@code 7d}, at most {@code max}. */
    public static Duration duration(String field, String value, Duration max) {
        if (value == null) {
            return null;
        }
        Duration parsed;
        try {
            parsed = Duration.ofNanos(io.dropwizard.util.Duration.parse(value.trim()).toNanoseconds());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw InvalidRequestException.of(400, field, "must be a duration such as 500ms, 30s, 10m, 2h or 7d, not '" + value + "'");
        }
        if (parsed.compareTo(max) > 0) {
            throw InvalidRequestException.of(400, field, "must be at most " + describe(max) + ", not '" + value + "'");
        }
        return parsed;
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Integer intBetween(String field, String value, int min, int max) {
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw InvalidRequestException.of(400, field, "must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }

    /** Message ids; every value must be one as Herald writes it. */
    public static List<Long> ids(String field, List<String> values) {
        List<Long> ids = new ArrayList<>(values.size());
        for (String value : values) {
            ids.add(messageId(value).orElseThrow(() -> InvalidRequestException.of(400, field,
                    "must be a message id (digits, no sign or leading zero), not '" + value + "'")));
        }
        return ids;
    }

    /** A message id as Herald writes it, digits only: {@code +5}, {@code 05}, {@code 5 } or {@code 0x5} are none. */
    public static Optional<Long> messageId(String text) {
        return MESSAGE_ID.matcher(text).matches() ? Optional.of(Long.parseLong(text)) : Optional.empty();
    }

    /** Non-blank text of at most {@code maxChars} characters. */
    public static String text(String field, String value, int maxChars) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.codePointCount(0, value.length()) > maxChars) {
            throw InvalidRequestException.of(400, field, "must be 1 to " + maxChars + " characters");
        }
        return value;
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.toSeconds() > 0 ? d.toDays() + "d"
                : d.toMillis() % 1_000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
