package io.herald.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JDK Flight Recorder settings the bench gives every Herald process (through its JVM options):
 * thread starts and allocation samples always, for the budget guard; execution samples as well with
 * {@code --profile}. Each process dumps its recording to {@code <dir>/<node id>.jfr} when it exits.
 */
final class FlightRecording {
    private final Path dir;
    private final Path settings;

    FlightRecording(Path dir, boolean profile) throws IOException {
        this.dir = dir;
        this.settings = dir.resolve("herald-bench.jfc");
        Files.createDirectories(dir);
        try (var stream = Files.list(dir)) {
            for (Path old : stream.filter(p -> p.toString().endsWith(".jfr")).toList()) {
                Files.delete(old);
            }
        }
        Files.writeString(settings, settingsXml(profile));
    }

    /** The JVM option that starts the recording of node {@code id}. */
    List<String> jvmOptions(String id) {
        return List.of("-XX:StartFlightRecording=name=herald-bench,dumponexit=true,settings=" + settings
                + ",filename=" + file(id));
    }

    Path file(String id) {
        return dir.resolve(id + ".jfr");
    }

    /** A .jfc file: only the events named here are recorded. */
    static String settingsXml(boolean profile) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="Herald bench" description="bin/herald bench: threads, allocation, CPU samples">
                  <event name="jdk.ThreadStart"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
                  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">300/s</setting><setting name="stackTrace">true</setting></event>
                  <event name="jdk.JavaThreadStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
                  <event name="jdk.ExecutionSample"><setting name="enabled">%s</setting><setting name="period">10 ms</setting></event>
                </configuration>
                """.formatted(profile);
    }
}
