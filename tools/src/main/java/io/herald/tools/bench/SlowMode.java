package io.herald.tools.bench;

import io.herald.tools.cli.Args.UsageException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the one slow receiver of {@code --slow-receiver} answers: after a delay ({@code 5s}, {@code 800ms}),
 * or never (the request is held open until the sender gives up).
 */
record SlowMode(Duration delay) {
    private static final Pattern DELAY = Pattern.compile("(\\d{1,6})(ms|s)");

    static final SlowMode NEVER = new SlowMode(null);

    boolean answers() {
        return delay != null;
    }

    static SlowMode parse(String value) {
        if (value.equals("never")) {
            return NEVER;
        }
        Matcher m = DELAY.matcher(value);
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            long n = Long.parseLong(m.group(1));
            return new SlowMode(m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMillis(n));
        }
        throw new UsageException("--slow-receiver must be a delay like 5s or 800ms, or never, not '" + value + "'");
    }

    @Override
    public String toString() {
        return answers() ? delay.toMillis() + " ms" : "never";
    }
}
