package io.herald.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one process's flight recording says about a measured window: threads started, bytes allocated
 * (the sum of the allocation samples' weights, which counts threads that have ended too; an estimate
 * that reads low, steady enough from run to run to guard against regressions, see docs/PERFORMANCE.md),
 * and the top frames by CPU (execution samples) and by allocation, both as the frame that was running
 * ("self") and as the innermost Herald frame on the stack ("herald", the code to look at), and who
 * started threads (the innermost frame outside the JDK's thread and pool classes).
 */
record JfrSummary(String process, long threadsStarted, long allocatedBytes, long cpuSamples,
        List<Frame> cpuSelf, List<Frame> cpuHerald, List<Frame> allocationSelf, List<Frame> allocationHerald,
        List<Frame> threadStarters) {

    private static final String HERALD_PACKAGE = "io.herald.";

    /** A frame and its weight: samples for CPU, bytes for allocation, starts for threads; share is of the total. */
    record Frame(String method, long weight, double share) {}

    static JfrSummary read(String process, Path recording, Instant from, Instant to, int top) throws IOException {
        Tally cpuSelf = new Tally();
        Tally cpuHerald = new Tally();
        Tally allocSelf = new Tally();
        Tally allocHerald = new Tally();
        Tally starters = new Tally();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                Instant at = e.getStartTime();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                switch (e.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        cpuSelf.add(leaf(e.getStackTrace()), 1);
                        cpuHerald.add(innermostHerald(e.getStackTrace()), 1);
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long weight = e.getLong("weight");
                        allocSelf.add(leaf(e.getStackTrace()), weight);
                        allocHerald.add(innermostHerald(e.getStackTrace()), weight);
                    }
                    case "jdk.ThreadStart" -> starters.add(starter(e.getStackTrace()), 1);
                    default -> { }
                }
            }
        }
        return new JfrSummary(process, starters.total, allocSelf.total, cpuSelf.total, cpuSelf.top(top), cpuHerald.top(top),
                allocSelf.top(top), allocHerald.top(top), starters.top(top));
    }

    private static String leaf(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        return name(stack.getFrames().get(0));
    }

    private static String innermostHerald(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        return stack.getFrames().stream().filter(f -> f.isJavaFrame() && f.getMethod().getType().getName().startsWith(HERALD_PACKAGE))
                .findFirst().map(JfrSummary::name).orElse("(outside Herald's code)");
    }

    /** Who asked for a thread: the innermost frame outside Thread and java.util.concurrent's pools and futures. */
    private static String starter(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        return stack.getFrames().stream().filter(RecordedFrame::isJavaFrame)
                .filter(f -> !f.getMethod().getType().getName().startsWith("java.lang.Thread")
                        && !f.getMethod().getType().getName().startsWith("java.util.concurrent."))
                .findFirst().map(JfrSummary::name).orElse("(inside the JDK's thread pools)");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** Weights summed per frame name. */
    private static final class Tally {
        private final Map<String, Long> byFrame = new HashMap<>();
        private long total;

        void add(String frame, long weight) {
            byFrame.merge(frame, weight, Long::sum);
            total += weight;
        }

        List<Frame> top(int n) {
            return byFrame.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(n)
                    .map(e -> new Frame(e.getKey(), e.getValue(), Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0))
                    .toList();
        }
    }
}
