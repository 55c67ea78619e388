package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;

/** The bench report on the console: the main figures, one row per process, --against side by side, profiles. */
final class ReportTable {
    private static final List<String> FIGURES = List.of("mode", "channel", "workers", "warmup", "prefilled", "accepted",
            "measuredMessages", "enqueuePerSecond", "offeredPerSecond", "messagesPerSecond", "deliverySeconds",
            "firstEnqueueToLastDeliverySeconds", "batchOf1000AcceptP50Millis", "singleAcceptP50Millis",
            "statementsPerMessage", "rowsReadPerMessage", "rowsWrittenPerMessage", "redoBytesPerMessage", "commitsPerMessage", "pagesReadFromDiskPerMessage", "otherDatabaseClients",
            "healthyDestinations", "slowDestination", "sentToSlowDestination", "slowDestinationRequests", "lost", "duplicated");

    private ReportTable() {}

    static void print(JsonNode r) {
        print(r, System.out);
    }

    static void print(JsonNode r, PrintStream out) {
        out.println();
        out.printf("%-34s %s%n", "figure", "value");
        out.printf("%-34s %s%n", "-".repeat(34), "-".repeat(24));
        for (String key : FIGURES) {
            if (r.has(key) && !r.get(key).isContainerNode()) {
                out.printf("%-34s %s%n", key, r.get(key).asText());
            }
        }
        r.path("databaseWindows").fields().forEachRemaining(
                w -> out.printf("%-34s %s%n", "  " + w.getKey() + " (two windows)", w.getValue().asText()));
        JsonNode claim = r.path("claim");
        if (!claim.isMissingNode()) {
            out.printf("%-34s %s claims; mean %s  p50 %s  p99 %s  max %s%n", "claim transaction ms", claim.path("claims").asText(),
                    claim.path("meanMillis").asText(), claim.path("p50Millis").asText(), claim.path("p99Millis").asText(),
                    claim.path("maxMillis").asText());
        }
        JsonNode l = r.path("latency");
        if (l.path("count").asLong() > 0) {
            out.printf("%-34s p50 %.1f  p95 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%,d samples)%n", "latency ms (scheduled send->recv)",
                    l.path("p50Millis").asDouble(), l.path("p95Millis").asDouble(), l.path("p99Millis").asDouble(),
                    l.path("p999Millis").asDouble(), l.path("maxMillis").asDouble(), l.path("count").asLong());
        }
        out.println();
        out.printf("%-30s %9s %11s %12s %9s %12s %14s%n", "process", "CPU s", "measured s", "of it JIT s", "RSS MiB",
                "threads/1000", "bytes/message");
        for (JsonNode p : r.path("processes")) {
            out.printf("%-30s %9s %11s %12s %9s %12s %14s%n", p.path("process").asText(), p.path("cpuSeconds").asText(),
                    p.path("measuredCpuSeconds").asText(""), p.path("measuredJitCpuSeconds").asText(""), p.path("peakRssMiB").asText(),
                    p.path("threadsStartedPer1000").asText(""), p.path("bytesAllocatedPerMessage").asText(""));
        }
        against(r.path("against"), out);
        for (JsonNode p : r.path("processes")) {
            profile(p.path("process").asText(), p.path("profile"), out);
        }
        out.println();
    }

    private static void against(JsonNode against, PrintStream out) {
        if (against.isMissingNode()) {
            return;
        }
        out.println();
        out.printf("%-34s %16s %16s%n", "end to end", "Herald", "db-scheduler");
        for (String key : List.of("accepted", "delivered", "enqueueSeconds", "firstEnqueueToLastDeliverySeconds", "messagesPerSecond",
                "statementsPerMessage", "rowsReadPerMessage", "rowsWrittenPerMessage", "redoBytesPerMessage", "commitsPerMessage")) {
            out.printf("%-34s %16s %16s%n", key, against.path("Herald").path(key).asText(""), against.path("db-scheduler").path(key).asText(""));
        }
    }

    private static void profile(String process, JsonNode profile, PrintStream out) {
        if (!profile.has("cpuSelf")) {
            return;
        }
        out.println();
        out.printf("== %s: %,d CPU samples, %,d MB allocated, %d threads started (measured window)%n", process,
                profile.path("cpuSamples").asLong(), profile.path("allocatedBytes").asLong() / 1_000_000, profile.path("threadsStarted").asLong());
        frames("CPU, running frame", profile.path("cpuSelf"), "samples", out);
        frames("CPU, innermost Herald frame", profile.path("cpuHerald"), "samples", out);
        frames("allocation, allocating frame", profile.path("allocationSelf"), "bytes", out);
        frames("allocation, innermost Herald frame", profile.path("allocationHerald"), "bytes", out);
        frames("thread starts, by the frame that asked for the thread", profile.path("threadStarters"), "threads", out);
    }

    private static void frames(String title, JsonNode frames, String unit, PrintStream out) {
        if (frames.isEmpty()) {
            return;
        }
        out.printf("  %s (%s)%n", title, unit);
        for (JsonNode f : frames) {
            out.printf("    %6.1f%%  %14s  %s%n", f.path("share").asDouble(), String.format("%,d", f.path("weight").asLong()), f.path("method").asText());
        }
    }
}
