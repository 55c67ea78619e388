package io.herald.tools.bench;

/** Reads samples out of a node's /prometheus page (the text exposition format). */
final class PrometheusText {
    private PrometheusText() {}

    /** The sum of the samples of {@code name} whose labels include {@code label} (such as {@code status="sent"}). */
    static double sum(String page, String name, String label) {
        double total = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(name + "{") && line.indexOf(label, name.length()) > 0) {
                total += Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
            }
        }
        return total;
    }
}
