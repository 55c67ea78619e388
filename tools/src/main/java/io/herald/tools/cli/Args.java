package io.herald.tools.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line of a tool, read flag by flag; every bad value becomes a one-line {@link UsageException}. */
public final class Args {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    private final List<String> rest;
    private String flag;

    public Args(String[] args) {
        this.rest = new ArrayList<>(List.of(args));
    }

    public boolean hasNext() {
        return !rest.isEmpty();
    }

    /** The next flag; the value methods below read its value. */
    public String nextFlag() {
        flag = rest.remove(0);
        return flag;
    }

    public String value() {
        if (rest.isEmpty()) {
            throw new UsageException(flag + " needs a value");
        }
        return rest.remove(0);
    }

    public int positive() {
        return number(1);
    }

    public int number(int min) {
        String value = value();
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a " + (min > 0 ? "positive" : "non-negative") + " whole number, not '" + value + "'");
    }

    public String oneOf(String... allowed) {
        String value = value();
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new UsageException(flag + " must be one of " + String.join("|", allowed) + ", not '" + value + "'");
    }

    /** A positive duration written like 500ms, 4s or 2m. */
    public Duration duration() {
        String value = value();
        Matcher m = DURATION.matcher(value);
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
        throw new UsageException(flag + " must be a positive duration like 500ms, 4s or 2m, not '" + value + "'");
    }

    /** The error for a flag nobody knows, pointing at the tool's help. */
    public UsageException unknown(String tool) {
        return new UsageException("unknown option '" + flag + "'; see bin/herald " + tool + " --help");
    }

    /** Bad command-line input: printed as one line, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
