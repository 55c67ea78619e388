package io.herald.master.policy;

import io.herald.common.tasks.TaskInputException;
import java.util.Locale;
import java.util.function.Function;

/**
 * One per-application setting as an admin task takes it: the parameter's name, the
 * {@code application_policy} column it is stored in, how its text is read, and the configured default
 * that applies while the column is NULL. The value {@code default} stores NULL.
 */
public record Setting(String parameter, String column, Function<String, Object> parser, Object defaultValue) {
    public static final String DEFAULT = "default";

    /** The stored value for {@code text}: null for {@code default}; bad input throws TaskInputException. */
    public Object parse(String text) {
        return text.equals(DEFAULT) ? null : parser.apply(text.trim());
    }

    public static Setting integer(String parameter, String column, long min, long max, long defaultValue) {
        return new Setting(parameter, column, text -> {
            try {
                long value = Long.parseLong(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new TaskInputException(parameter + " must be a whole number from " + min + " to " + max + " (or default), not '" + text + "'");
        }, defaultValue);
    }

    /** A duration written like 30s, 5m, 1h; stored as milliseconds. */
    public static Setting duration(String parameter, String column, java.time.Duration min, java.time.Duration max,
                                   java.time.Duration defaultValue) {
        return new Setting(parameter, column, text -> {
            long millis = parseMillis(parameter, text);
            if (millis < min.toMillis() || millis > max.toMillis()) {
                throw new TaskInputException(parameter + " must be from " + min.toMillis() + " ms to " + max.toMillis()
                        + " ms, not '" + text + "'");
            }
            return millis;
        }, defaultValue.toMillis());
    }

    public static Setting flag(String parameter, String column, boolean defaultValue) {
        return new Setting(parameter, column, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "on", "1" -> 1;
            case "false", "off", "0" -> 0;
            default -> throw new TaskInputException(parameter + " must be true or false (or default), not '" + text + "'");
        }, defaultValue ? 1 : 0);
    }

    public static Setting text(String parameter, String column, Function<String, String> validate) {
        return new Setting(parameter, column, validate::apply, null);
    }

    private static long parseMillis(String parameter, String text) {
        try {
            return io.dropwizard.util.Duration.parse(text).toMilliseconds();
        } catch (IllegalArgumentException e) {
            throw new TaskInputException(parameter + " must be a duration such as 30s, 5m or 1h (or default), not '" + text + "'");
        }
    }
}
