package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.mariadb.EmbeddedMariaDb;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/herald up}'s Java launcher, run as bin/herald runs it (its own process, the repository's
 * jars), on ports of its own and against this test's database: it starts ZooKeeper, two masters and
 * two workers, delivers the demo messages, and on SIGTERM stops every process it started.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TOOLS_JAR = ROOT.resolve("tools/target/herald-tools.jar");
    private static final int FIRST_PORT = 18_480;
    private static final List<Integer> NODE_PORTS = List.of(FIRST_PORT, FIRST_PORT + 2, FIRST_PORT + 10, FIRST_PORT + 12);
    private static final Pattern SENT_ROW = Pattern.compile("(?m)^ {4}\\d+ +sent +1 +worker-[12]$");

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static Process launcher;
    private static Path work;
    private static Path output;
    private static int zooKeeperPort;

    @BeforeAll
    static void launch() throws Exception {
        assertThat(TOOLS_JAR).as("the tools jar; build it with 'mvn package' (the test command does)").exists();
        try (ServerSocket free = new ServerSocket(0)) {
            zooKeeperPort = free.getLocalPort();
        }
        work = Files.createTempDirectory("herald-up");
        output = work.resolve("up.out");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                TOOLS_JAR.toString(), "io.herald.tools.up.Up", "--root", ROOT.toString(), "--zk-port", Integer.toString(zooKeeperPort),
                "--first-port", Integer.toString(FIRST_PORT), "--work", work.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("DB_URL", HERALD.database().config().url);
        env.put("DB_USER", HERALD.database().config().user);
        env.put("DB_PASSWORD", HERALD.database().config().password);
        launcher = builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (launcher.isAlive()) {
            launcher.destroyForcibly().waitFor();
        }
        FileUtils.deleteDirectory(work.toFile());
    }

    private static String printed() throws IOException {
        return Files.readString(output);
    }

    @Test
    void up_delivers_the_demo_messages_and_sigterm_stops_every_process_it_started() throws Exception {
        await().atMost(Duration.ofMinutes(4)).until(() -> printed().contains("cluster running") || !launcher.isAlive());
        String started = printed();
        assertThat(launcher.isAlive()).as(started).isTrue();
        assertThat(started).contains("database: the server in DB_URL", "starting ZooKeeper on 127.0.0.1:" + zooKeeperPort,
                "master-1 is up", "master-2 is up", "worker-1 is up", "worker-2 is up", "created the application \"demo\"");
        assertThat(started).containsPattern("(?m)^ {4}master-[12] +leader +http://127\\.0\\.0\\.1:(" + FIRST_PORT + "|" + (FIRST_PORT + 2) + ") ");
        assertThat(SENT_ROW.matcher(started).results().count()).as(started).isEqualTo(5);
        assertThat(NODE_PORTS).allMatch(EmbeddedMariaDb::answers);
        // Every node signs unsubscribe links with the key up made once and kept for the next run.
        assertThat(started).contains("unsubscribe key: in ");
        assertThat(Files.readString(work.resolve("unsubscribe-key")).strip()).hasSizeGreaterThanOrEqualTo(32);

        launcher.destroy(); // SIGTERM, as bin/herald sends on Ctrl-C
        assertThat(launcher.waitFor(3, TimeUnit.MINUTES)).as("the launcher exits").isTrue();
        String stopped = printed().substring(started.length());
        assertThat(stopped).contains("stopping the cluster", "stopped; logs are in " + work.resolve("logs"));
        assertThat(NODE_PORTS).noneMatch(EmbeddedMariaDb::answers);
        assertThat(EmbeddedMariaDb.answers(zooKeeperPort)).as("ZooKeeper stopped").isFalse();
    }
}
