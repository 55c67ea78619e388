package io.herald.master.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A message's {@code sendAt}: when it becomes due. An RFC 3339 date-time with seconds and an offset
 * ({@code 2026-12-24T08:00:00Z}, {@code 2026-12-24T09:00:00.250+01:00}), at most {@link #MAX_AHEAD} ahead of
 * this master's clock, and at most {@link #PAST_TOLERANCE} behind it (such a message is due at once: the
 * tolerance absorbs clock skew between the caller and Herald, and a request that took a while to arrive).
 * Kept to the millisecond, as the database stores it.
 */
public final class SendAt {
    public static final Duration MAX_AHEAD = Duration.ofDays(365);
    public static final Duration PAST_TOLERANCE = Duration.ofMinutes(5);

    // RFC 3339 section 5.6: seconds required, fraction optional, "Z" or a numeric offset; 'T' and 'Z' in either case.
    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private final Clock clock;

    public SendAt(Clock clock) {
        this.clock = clock;
    }

    /** The instant {@code value} names, or null with an error for {@code field} added. */
    Instant parse(String value, String field, List<FieldError> errors) {
        Instant at = read(value);
        if (at == null) {
            errors.add(new FieldError(field, "must be an RFC 3339 date-time with seconds and an offset, such as 2026-12-24T08:00:00Z"));
            return null;
        }
        Instant now = clock.instant();
        if (at.isAfter(now.plus(MAX_AHEAD))) {
            errors.add(new FieldError(field, "is more than 365 days ahead"));
            return null;
        }
        if (at.isBefore(now.minus(PAST_TOLERANCE))) {
            errors.add(new FieldError(field, "is more than 5 minutes in the past; omit it to send at once"));
            return null;
        }
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The instant an RFC 3339 date-time with seconds and an offset names, or null if {@code value} is not one. */
    static Instant read(String value) {
        if (value.length() > 40 || !RFC_3339.matcher(value).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            return null; // well-formed but impossible, such as 2026-02-30 or 25:00:00
        }
    }
}
