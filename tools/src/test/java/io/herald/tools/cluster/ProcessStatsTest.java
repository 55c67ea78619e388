package io.herald.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the bench reads of a process from /proc: CPU, peak memory, and its JIT compilers' share. */
class ProcessStatsTest {
    @Test
    void a_jvm_that_has_compiled_code_shows_compiler_cpu_within_its_own() {
        long self = ProcessHandle.current().pid();
        // A test JVM has compiled JUnit, AssertJ and Maven's classes long before this line: more than a tick.
        double compilers = NodeProcess.Stats.compilerCpuSeconds(self);
        NodeProcess.Stats stats = NodeProcess.Stats.of(self);
        assertThat(compilers).isGreaterThan(0);
        assertThat(stats.cpuSeconds()).isGreaterThanOrEqualTo(compilers);
        assertThat(stats.peakRssKiB()).isGreaterThan(0);
    }

    @Test
    void a_process_without_compiler_threads_and_one_that_is_gone_show_none() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(NodeProcess.Stats.compilerCpuSeconds(sleep.pid())).isZero();
        } finally {
            sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(NodeProcess.Stats.compilerCpuSeconds(sleep.pid())).isZero();
        assertThat(NodeProcess.Stats.of(sleep.pid())).isNull();
    }
}
