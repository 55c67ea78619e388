package io.herald.common.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook retry schedule: the wait after each failed attempt, so a message gets one attempt more
 * than the schedule has steps. Written as comma-separated durations ({@code 5s, 5m, 30m, 2h}), in
 * config.yml and in the {@code app-retry-schedule} admin task.
 *
 * <p>Parsing saturates: a step too large for a {@code long} of milliseconds is refused by the bound
 * below, never wrapped into a short or negative wait.
 */
public record RetrySchedule(List<Duration> steps) {
    /** Svix's: after the first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.5 h in all). */
    public static final String DEFAULT = "5s, 5m, 30m, 2h, 5h, 10h, 10h";
    public static final int MAX_STEPS = 50;
    public static final Duration MAX_STEP = Duration.ofDays(7);
    private static final Pattern STEP = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public RetrySchedule {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("a retry schedule has 1 to " + MAX_STEPS + " steps, not " + steps.size());
        }
    }

    /** Attempts a message gets: the first, and one after each step. */
    public int maxAttempts() {
        return steps.size() + 1;
    }

    /** The longest step: Retry-After is capped at it. */
    public Duration longestStep() {
        return steps.stream().max(Duration::compareTo).orElseThrow();
    }

    /** The wait after the {@code attemptsUsed}-th failed attempt (1 for the first). */
    public Duration step(int attemptsUsed) {
        return steps.get(Math.max(0, Math.min(attemptsUsed, steps.size()) - 1));
    }

    /**
     * Reads {@code 5s, 5m, 30m}: each step digits and one of {@code ms s m h d}, at most {@link #MAX_STEP}.
     *
     * @throws IllegalArgumentException naming the step that is wrong
     */
    public static RetrySchedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a retry schedule must list at least one duration, such as '" + DEFAULT + "'");
        }
        List<Duration> steps = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            steps.add(step(part.trim().toLowerCase(Locale.ROOT)));
            if (steps.size() > MAX_STEPS) {
                throw new IllegalArgumentException("a retry schedule has at most " + MAX_STEPS + " steps");
            }
        }
        return new RetrySchedule(steps);
    }

    private static Duration step(String part) {
        Matcher m = STEP.matcher(part);
        if (!m.matches()) {
            throw new IllegalArgumentException("retry schedule step '" + part + "' is not a duration such as 500ms, 5s, 5m, 2h or 1d");
        }
        long millis = saturatedMillis(m.group(1), unitMillis(m.group(2)));
        if (millis > MAX_STEP.toMillis()) {
            throw new IllegalArgumentException("retry schedule step '" + part + "' is longer than " + MAX_STEP.toDays() + "d");
        }
        return Duration.ofMillis(millis);
    }

    private static long saturatedMillis(String digits, long unit) {
        long count;
        try {
            count = Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
        return count > Long.MAX_VALUE / unit ? Long.MAX_VALUE : count * unit;
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
    }

    /** The schedule as {@link #parse} reads it. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Duration step : steps) {
            text.append(text.length() == 0 ? "" : ", ").append(format(step));
        }
        return text.toString();
    }

    private static String format(Duration step) {
        long millis = step.toMillis();
        long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return millis / units[i] + names[i];
            }
        }
        return millis + "ms";
    }
}
