package io.herald.tools.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of a local cluster, with its CPU time and peak resident memory read from /proc while it
 * lives (the last reading is kept, so the figures survive the process).
 */
public final class NodeProcess {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    /** How long a stopped process has to drain and exit after SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final ProcessBuilder builder;
    private final Process process;
    private final Path log;
    private double cpuSeconds;
    private long peakRssKiB;

    NodeProcess(String name, ProcessBuilder builder, Process process, Path log) {
        this.name = name;
        this.builder = builder;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    ProcessBuilder builder() {
        return builder;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Reads CPU seconds (user + system) and peak RSS (VmHWM) from /proc; keeps the last good reading. */
    public synchronized void sample() {
        Stats stats = Stats.of(process.pid());
        if (stats != null) {
            cpuSeconds = stats.cpuSeconds();
            peakRssKiB = Math.max(peakRssKiB, stats.peakRssKiB());
        }
    }

    public synchronized double cpuSeconds() {
        return cpuSeconds;
    }

    public synchronized long peakRssKiB() {
        return peakRssKiB;
    }

    /** SIGTERM, then SIGKILL if the process is still there after {@link #STOP_GRACE}. */
    public void stop() throws InterruptedException {
        sample();
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: no shutdown hooks, no goodbye to ZooKeeper. */
    public void kill() throws InterruptedException {
        sample();
        process.destroyForcibly().waitFor();
    }

    /** SIGSTOP: the process freezes mid-instruction, sockets open, as in a long GC pause or a stalled VM. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " exited with " + exit);
        }
    }

    /** CPU and peak memory of any process, from /proc. */
    public record Stats(double cpuSeconds, long peakRssKiB) {
        public static Stats of(long pid) {
            try {
                long ticks = cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
                long hwm = 0;
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
                return new Stats((double) ticks / CLOCK_TICKS_PER_SECOND, hwm);
            } catch (IOException | RuntimeException e) {
                return null; // the process is gone
            }
        }

        /**
         * CPU seconds so far of a JVM's JIT compiler threads (HotSpot names them "C1 CompilerThread0",
         * "C2 CompilerThread0", cut to 15 characters in /proc), 0 for a process that has none or is gone. On a
         * small machine the compilers' share of a short run can exceed the application's own.
         */
        public static double compilerCpuSeconds(long pid) {
            long ticks = 0;
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    ticks += compilerTicks(task);
                }
            } catch (IOException | RuntimeException e) {
                return 0; // the process is gone
            }
            return (double) ticks / CLOCK_TICKS_PER_SECOND;
        }

        private static long compilerTicks(Path task) {
            try {
                String name = Files.readString(task.resolve("comm")).strip();
                if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                    return 0;
                }
                return cpuTicks(task.resolve("stat"));
            } catch (IOException | RuntimeException e) {
                return 0; // the thread ended between the listing and the read
            }
        }

        /** User plus system clock ticks from a process's or a thread's stat file. */
        private static long cpuTicks(Path statFile) throws IOException {
            String stat = Files.readString(statFile);
            // Fields after the command name, which may contain spaces, start after the last ')'.
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
        }
    }
}
