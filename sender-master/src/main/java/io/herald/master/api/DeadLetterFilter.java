package io.herald.master.api;

import java.time.Duration;
import java.util.List;

/**
 * Which dead letters an operation applies to; every given part must match. {@code application} and
 * {@code olderThan} (age since the message became dead) may be null; an empty {@code ids} means any id.
 */
public record DeadLetterFilter(List<Long> ids, String application, Duration olderThan) {
    public DeadLetterFilter {
        ids = List.copyOf(ids);
    }

    static final Duration MAX_AGE = Duration.ofDays(3_650);

    /**
     * From request or task parameters: {@code id} (repeatable), {@code application}, {@code olderThan}
     * (a duration; {@code 0s} matches every dead letter). Bad values get a 400 naming the parameter.
     */
    public static DeadLetterFilter parse(List<String> ids, String application, String olderThan) {
        return new DeadLetterFilter(QueryParams.ids("id", ids),
                QueryParams.text("application", application, MessageParser.MAX_APPLICATION_CHARS),
                QueryParams.duration("olderThan", olderThan, MAX_AGE));
    }

    /** As {@link #parse}, for requeue and purge, which must be told what to select. */
    public static DeadLetterFilter parseSelection(List<String> ids, String application, String olderThan) {
        DeadLetterFilter filter = parse(ids, application, olderThan);
        if (filter.ids().isEmpty() && filter.application() == null && filter.olderThan() == null) {
            throw InvalidRequestException.of(400, "id",
                    "give at least one of id (repeatable), application, olderThan; olderThan=0s selects every dead letter");
        }
        return filter;
    }

    /** Restricted to one application (the caller's own, once callers authenticate). */
    public DeadLetterFilter withApplication(String only) {
        return new DeadLetterFilter(ids, only, olderThan);
    }
}
