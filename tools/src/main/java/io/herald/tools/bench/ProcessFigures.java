package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's figures per process: CPU over the whole run and over the measured window, peak RSS, and for
 * each Herald node the threads it started and the bytes it allocated per message (from its flight
 * recording, within the measured window). The bench process itself and the database server count too.
 * Of each JVM's measured CPU, the share its JIT compiler threads used is reported apart: a drain of a
 * minute on two cores can spend half a worker's CPU compiling, which is not the cost of a message.
 */
final class ProcessFigures {
    private static final int TOP_FRAMES = 8;

    private final LocalCluster cluster;
    private final FlightRecording recording;
    private final String selfName;
    private final boolean profile;
    private final Map<String, Usage> atWindowStart = new LinkedHashMap<>();
    private final Map<String, Double> cpuInWindow = new LinkedHashMap<>();
    private final Map<String, Double> compilerInWindow = new LinkedHashMap<>();
    private Instant windowFrom = Instant.MAX;
    private Instant windowTo = Instant.MIN;

    ProcessFigures(LocalCluster cluster, FlightRecording recording, String selfName, boolean profile) {
        this.cluster = cluster;
        this.recording = recording;
        this.selfName = selfName;
        this.profile = profile;
    }

    /** A process's CPU seconds so far, and of them its JIT compiler threads' (NaN for the database server, not a JVM). */
    record Usage(double cpu, double compiler) {}

    /** What a process not yet seen has used. */
    private static final Usage NONE = new Usage(0, 0);

    /** CPU seconds each process used in the measured window. */
    Map<String, Double> cpuInWindow() {
        return cpuInWindow;
    }

    /** The measured window: its flight-recording events and CPU are what the report counts. */
    void measuredWindowStarts() {
        windowFrom = Instant.now();
        atWindowStart.putAll(usage());
    }

    void measuredWindowEnds() {
        windowTo = Instant.now();
        Map<String, Usage> now = usage();
        cpuInWindow.putAll(cpuSince(atWindowStart, now));
        now.forEach((name, usage) -> {
            if (!Double.isNaN(usage.compiler())) {
                double before = atWindowStart.getOrDefault(name, NONE).compiler();
                compilerInWindow.put(name, Bench.round(Math.max(0, usage.compiler() - before)));
            }
        });
    }

    /** Usage so far of every process of the run: the cluster's, this one, and the database server. */
    Map<String, Usage> usage() {
        cluster.sampleAll();
        Map<String, Usage> usage = new LinkedHashMap<>();
        cluster.processes().forEach(p -> usage.put(p.name(), new Usage(p.cpuSeconds(), NodeProcess.Stats.compilerCpuSeconds(p.pid()))));
        long self = ProcessHandle.current().pid();
        NodeProcess.Stats selfStats = NodeProcess.Stats.of(self);
        if (selfStats != null) {
            usage.put(selfName, new Usage(selfStats.cpuSeconds(), NodeProcess.Stats.compilerCpuSeconds(self)));
        }
        NodeProcess.Stats db = databaseServer();
        if (db != null) {
            usage.put("database server", new Usage(db.cpuSeconds(), Double.NaN));
        }
        return usage;
    }

    /** CPU seconds each process used since {@code before}; processes that used none (stopped ones) are left out. */
    Map<String, Double> cpuSince(Map<String, Usage> before) {
        return cpuSince(before, usage());
    }

    private static Map<String, Double> cpuSince(Map<String, Usage> before, Map<String, Usage> now) {
        Map<String, Double> used = new LinkedHashMap<>();
        now.forEach((name, usage) -> {
            double delta = Bench.round(usage.cpu() - before.getOrDefault(name, NONE).cpu());
            if (delta > 0) {
                used.put(name, delta);
            }
        });
        return used;
    }

    /** Per process: CPU (whole life and measured window), peak RSS; per Herald node also threads and allocation. */
    List<Map<String, Object>> rows(long messages) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NodeProcess p : cluster.processes()) {
            Map<String, Object> row = processRow(p.name(), p.cpuSeconds(), p.peakRssKiB());
            Path jfr = recording.file(p.name());
            if (Files.exists(jfr)) {
                flightRecordingFigures(row, p.name(), jfr, messages);
            }
            rows.add(row);
        }
        NodeProcess.Stats self = NodeProcess.Stats.of(ProcessHandle.current().pid());
        if (self != null) {
            rows.add(processRow(selfName, self.cpuSeconds(), self.peakRssKiB()));
        }
        NodeProcess.Stats db = databaseServer();
        if (db != null) {
            rows.add(processRow("database server", db.cpuSeconds(), db.peakRssKiB()));
        }
        for (Map<String, Object> row : rows) {
            row.put("measuredCpuSeconds", cpuInWindow.get((String) row.get("process")));
            row.put("measuredJitCpuSeconds", compilerInWindow.get((String) row.get("process")));
        }
        return rows;
    }

    /** Threads and allocation from a node's recording; one that cannot be read (a node killed mid-dump) is reported, not fatal. */
    private void flightRecordingFigures(Map<String, Object> row, String name, Path jfr, long messages) {
        try {
            JfrSummary s = JfrSummary.read(name, jfr, windowFrom, windowTo, TOP_FRAMES);
            row.put("threadsStarted", s.threadsStarted());
            row.put("threadsStartedPer1000", Bench.round(s.threadsStarted() * 1000.0 / Math.max(1, messages)));
            row.put("bytesAllocatedPerMessage", Math.round(s.allocatedBytes() / (double) Math.max(1, messages)));
            row.put("profile", profile ? s : Map.of("threadStarters", s.threadStarters()));
        } catch (java.io.IOException | RuntimeException e) {
            row.put("recordingUnreadable", jfr + ": " + e);
        }
    }

    static NodeProcess.Stats databaseServer() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .findFirst()
                .map(h -> NodeProcess.Stats.of(h.pid()))
                .orElse(null);
    }

    private static Map<String, Object> processRow(String name, double cpu, long rssKiB) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("process", name);
        row.put("cpuSeconds", Bench.round(cpu));
        row.put("peakRssMiB", rssKiB / 1024);
        return row;
    }

    /** The leader's claim transaction, timed by the master (its reservoir favours the recent, measured part). */
    Map<String, Object> claimFigures(String admin) throws Exception {
        JsonNode timer = Bench.JSON.readTree(cluster.get(admin + "/metrics").body())
                .path("timers").path("herald.master.claim_time");
        double toMillis = switch (timer.path("duration_units").asText("seconds")) {
            case "milliseconds" -> 1;
            case "microseconds" -> 0.001;
            default -> 1_000;
        };
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("claims", timer.path("count").asLong());
        for (String field : List.of("mean", "p50", "p99", "max")) {
            figures.put(field + "Millis", Bench.round(timer.path(field).asDouble() * toMillis));
        }
        return figures;
    }
}
