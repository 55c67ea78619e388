package io.herald.master.api;

import static io.herald.master.api.JsonInput.isObject;
import static io.herald.master.api.JsonInput.rejectUnknown;
import static io.herald.master.api.JsonInput.text;
import static io.herald.master.api.JsonInput.throwIfAny;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.channel.Channels;
import io.herald.common.model.Channel;
import io.herald.common.model.ControlCharacters;
import io.herald.common.suppression.SuppressionList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an operator's suppression entry, {@code {"channel": "email", "target": "...", "reason": "...", "expiresAt":
 * "2027-01-01T00:00:00Z"}}, and the channel and target that name one in a query.
 */
public final class SuppressionParser {
    /** An entry expires at most this far ahead (the database's timestamps end in 2038). */
    public static final Duration MAX_AHEAD = Duration.ofDays(3650);
    private static final Set<String> FIELDS = Set.of("channel", "target", "reason", "expiresAt");

    /** An entry to add: {@code ttl} null when it lasts until removed. */
    public record NewEntry(Channel channel, String target, String reason, Duration ttl) {}

    private final JsonInput input;
    private final Targets targets;
    private final Clock clock;
    private final Duration defaultTtl;

    /** @param defaultTtl an entry's lifetime when it names no {@code expiresAt}, or null for until removed */
    public SuppressionParser(ObjectMapper json, Targets targets, Clock clock, Duration defaultTtl) {
        this.input = new JsonInput(json);
        this.targets = targets;
        this.clock = clock;
        this.defaultTtl = defaultTtl;
    }

    public NewEntry parse(byte[] body) {
        JsonNode root = input.readTree(body);
        List<FieldError> errors = new ArrayList<>();
        if (!isObject(root, "", errors)) {
            throwIfAny(errors);
        }
        rejectUnknown(root, "", FIELDS, errors);
        Channel channel = channel(text(root, "", "channel", true, errors), "channel", errors);
        String target = text(root, "", "target", true, errors);
        if (channel != null && target != null) {
            targets.check(channel, target, "target", errors);
        }
        String reason = text(root, "", "reason", false, errors);
        JsonInput.checkLength(reason, SuppressionList.MAX_REASON_CHARS - 20, "reason", errors);
        if (reason != null && ControlCharacters.any(reason)) {
            errors.add(new FieldError("reason", "must not contain control characters"));
        }
        Duration ttl = ttl(text(root, "", "expiresAt", false, errors), errors);
        throwIfAny(errors);
        return new NewEntry(channel, target, reason == null || reason.isBlank() ? "added through the API" : reason, ttl);
    }

    private Duration ttl(String expiresAt, List<FieldError> errors) {
        if (expiresAt == null) {
            return defaultTtl;
        }
        Instant at = SendAt.read(expiresAt);
        Instant now = clock.instant();
        if (at == null) {
            errors.add(new FieldError("expiresAt", "must be an RFC 3339 date-time with seconds and an offset, such as 2027-01-01T00:00:00Z"));
        } else if (!at.isAfter(now)) {
            errors.add(new FieldError("expiresAt", "must be in the future; remove the entry instead"));
        } else if (at.isAfter(now.plus(MAX_AHEAD))) {
            errors.add(new FieldError("expiresAt", "is more than 3650 days ahead; omit it for an entry that lasts until removed"));
        } else {
            return Duration.between(now, at);
        }
        return null;
    }

    /** The channel a new entry names, installed and available, or null (with an error for {@code field}). */
    private Channel channel(String value, String field, List<FieldError> errors) {
        return value == null ? null : targets.channel(value, field, errors);
    }

    /**
     * A channel named in a query, or null (with an error for {@code field} if it names none installed): one whose
     * plug-in is unavailable here still has entries that can be listed and removed.
     */
    public Channel queryChannel(String value, String field, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        Optional<Channels.Installed> installed = targets.channels().find(value);
        if (installed.isEmpty()) {
            errors.add(new FieldError(field, "unknown channel '" + value + "'; one of " + targets.channels().allowedValues()));
            return null;
        }
        return installed.get().channel();
    }

    /** A target named in a query: checked only for size and control characters, so any listed entry can be named. */
    public static String queryTarget(String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || ControlCharacters.any(value)) {
            errors.add(new FieldError("target", "must be a non-empty target without control characters"));
        }
        JsonInput.checkLength(value, Targets.MAX_TARGET_CHARS, "target", errors);
        return value;
    }
}
