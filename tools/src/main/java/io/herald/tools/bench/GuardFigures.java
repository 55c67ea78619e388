package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures the CI guard budgets, taken from a bench report: database work per message, and per role
 * of Herald process (the masters together, the workers together) threads started per 1,000 messages
 * and bytes allocated per message. Per role rather than per process, so that the figures do not depend
 * on how the messages happened to split between the workers. The database figures count every client
 * of the server: while other clients were connected to it, they are reported but not checked.
 */
final class GuardFigures {
    static final String[] DATABASE = {"statementsPerMessage", "rowsReadPerMessage", "rowsWrittenPerMessage", "redoBytesPerMessage",
            "commitsPerMessage"};
    static final String[] PER_PROCESS = {"threadsStartedPer1000", "bytesAllocatedPerMessage"};

    private GuardFigures() {}

    /** The figures measured, and those that could not be trusted with the reason (not checked, reported). */
    record Guard(Map<String, Double> figures, Map<String, String> untrusted) {}

    static Guard of(JsonNode report) {
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, String> untrusted = new LinkedHashMap<>();
        int others = report.path("otherDatabaseClients").asInt(0);
        for (String name : DATABASE) {
            if (others > 0) {
                untrusted.put(name, "the database server had " + others + " connection(s) of other clients, whose work its counters include");
            } else if (report.path(name).isNumber()) {
                figures.put(name, report.path(name).asDouble());
            }
        }
        for (JsonNode process : report.path("processes")) {
            String role = role(process.path("process").asText());
            for (String name : PER_PROCESS) {
                if (role != null && process.path(name).isNumber()) {
                    figures.merge(role + "." + name, process.path(name).asDouble(), (a, b) -> DatabaseCounters.round(a + b));
                }
            }
        }
        return new Guard(figures, untrusted);
    }

    /** "masters" or "workers" for a Herald node's id, null for anything else (ZooKeeper, the receiver). */
    static String role(String process) {
        if (process.startsWith("bench-master")) {
            return "masters";
        }
        return process.startsWith("bench-worker") ? "workers" : null;
    }
}
