package io.herald.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JIT settings are written in three places a launcher reads: {@link LocalCluster} (bin/herald up, the
 * bench, the drill), the images' jvmFlags in pom.xml, and the systemd units. They are kept equal here.
 */
class DeployJvmOptionsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void local_nodes_get_the_compiler_settings_and_the_parallel_collector() {
        assertThat(LocalCluster.NODE_JVM_OPTIONS).startsWith("-XX:+UseParallelGC").containsAll(LocalCluster.COMPILER_OPTIONS);
    }

    @Test
    void both_images_start_the_jvm_with_the_compiler_settings() throws Exception {
        List<String> flags = new ArrayList<>();
        Matcher m = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            flags.add(m.group(1));
        }
        assertThat(flags).containsAll(LocalCluster.COMPILER_OPTIONS);
    }

    @Test
    void both_systemd_units_start_the_jvm_with_the_compiler_settings() throws Exception {
        for (String unit : List.of("herald-master.service", "herald-worker.service")) {
            String execStart = Files.readAllLines(ROOT.resolve("deploy/systemd").resolve(unit)).stream()
                    .filter(line -> line.startsWith("ExecStart=")).findFirst().orElseThrow();
            assertThat(List.of(execStart.split(" "))).as(unit).containsAll(LocalCluster.COMPILER_OPTIONS);
        }
    }
}
