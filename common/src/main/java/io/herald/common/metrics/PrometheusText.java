package io.herald.common.metrics;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads samples out of a node's {@code /prometheus} page (the text exposition format): what the bench
 * and the console need of another node's figures, without a client library for one sum.
 */
public final class PrometheusText {
    /** Where a node serves the page ({@code PrometheusEndpoint} installs it there). */
    public static final String PATH = "/prometheus";

    private PrometheusText() {}

    /**
     * The path of a page with only these metrics ({@code name[]}, the exporter's own filter). A poller that
     * reads a few figures asks for them alone: the whole page renders every Dropwizard and JVM metric, a
     * few milliseconds of the node's CPU each time.
     */
    public static String pathFor(String... names) {
        StringBuilder path = new StringBuilder(PATH);
        for (int i = 0; i < names.length; i++) {
            path.append(i == 0 ? '?' : '&').append("name%5B%5D=").append(URLEncoder.encode(names[i], StandardCharsets.UTF_8));
        }
        return path.toString();
    }

    /**
     * The sum of the samples of {@code name} whose labels include {@code label} (such as
     * {@code status="sent"}); with an empty {@code label}, of every sample of {@code name}, labelled or not.
     * A name that does not appear sums to 0.
     */
    public static double sum(String page, String name, String label) {
        double total = 0;
        for (String line : page.split("\n")) {
            if (matches(line, name, label)) {
                int value = line.charAt(name.length()) == '{' ? line.lastIndexOf('}') + 1 : name.length();
                total += Double.parseDouble(line.substring(value).trim().split(" ")[0]);
            }
        }
        return total;
    }

    private static boolean matches(String line, String name, String label) {
        if (!line.startsWith(name) || line.length() == name.length()) {
            return false;
        }
        char next = line.charAt(name.length());
        if (label.isEmpty()) {
            return next == ' ' || next == '{';
        }
        return next == '{' && line.indexOf(label, name.length()) > 0;
    }
}
