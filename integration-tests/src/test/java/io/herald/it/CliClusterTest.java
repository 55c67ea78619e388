package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every subcommand of the operators' CLI, run as bin/herald runs it (the tools jar in a JVM of its
 * own, credentials from the environment), against an in-JVM cluster of two masters and one worker.
 * The tests run in order: one application's story, from creation to revocation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliClusterTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TOOLS_JAR = ROOT.resolve("tools/target/herald-tools.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> first;
    private static WebhookReceiver receiver;
    private static Path home;
    private static String apiKey;

    /** What one run of the CLI printed, and its exit code. */
    private record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        assertThat(TOOLS_JAR).as("the tools jar; build it with 'mvn package' (the test command does)").exists();
        cluster = HERALD.cluster();
        first = cluster.startMaster("cli-m1");
        cluster.startMaster("cli-m2");
        cluster.startWorker("cli-w1");
        receiver = new WebhookReceiver();
        // 422: a dead letter at once (not 410, which would also put the target on the suppression list)
        receiver.answer((r, seen) -> new WebhookReceiver.Answer(422, null));
        home = Files.createTempDirectory("herald-cli-home");
    }

    @AfterAll
    static void stop() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        FileUtils.deleteDirectory(home.toFile());
    }

    private static Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-Dherald.root=" + home, "-cp", TOOLS_JAR.toString(), "io.herald.tools.cli.HeraldCli"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("HOME", home.toString());
        env.put("HERALD_URL", ClusterHarness.api(first));
        env.put("HERALD_ADMIN_URL", ClusterHarness.admin(first));
        env.put("ADMIN_TOKEN", ClusterHarness.ADMIN_TOKEN);
        if (apiKey != null) {
            env.put("HERALD_API_KEY", apiKey);
        }
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the CLI ends: " + command).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static long send(String channel, String target) throws Exception {
        Run sent = cli("messages", "send", "--channel", channel, "--target", target, "--subject", "s", "--body", "b", "--json");
        assertThat(sent.code()).as(sent.err()).isZero();
        return sent.json().get("id").asLong();
    }

    @Test
    @Order(1)
    void apps_create_key_and_secret_rotate_print_what_the_tasks_issue() throws Exception {
        Run created = cli("apps", "create", "cli-app", "--owner-email", "ops@example.org", "--json");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.json().get("signingSecret").asText()).startsWith("whsec_");
        apiKey = created.json().get("apiKey").asText();
        assertThat(apiKey).startsWith("hk_");

        Run key = cli("apps", "key", "cli-app");
        assertThat(key.code()).isZero();
        assertThat(key.out()).contains("apiKey").containsPattern("hk_\\S+");

        Run rotated = cli("apps", "secret-rotate", "cli-app", "--grace", "1h", "--json");
        assertThat(rotated.code()).as(rotated.err()).isZero();
        assertThat(rotated.json().get("signingSecret").asText()).startsWith("whsec_");
        assertThat(rotated.json().get("previousSignsUntil").asText()).isNotEmpty();

        Run again = cli("apps", "create", "cli-app");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().lines()).hasSize(1);
        assertThat(again.err()).startsWith("herald: HTTP 400: ");
    }

    @Test
    @Order(2)
    void messages_send_wait_get_and_events_follow_a_message_to_sent() throws Exception {
        long id = send("log", "cli-test");

        Run waited = cli("messages", "wait", Long.toString(id), "--timeout", "60s", "--json");
        assertThat(waited.code()).as(waited.err()).isZero();
        assertThat(waited.json().get("status").asText()).isEqualTo("sent");

        Run got = cli("messages", "get", Long.toString(id));
        assertThat(got.out().lines().toList().get(1)).startsWith(id + " ").contains(" sent ");

        Run events = cli("messages", "events", Long.toString(id));
        assertThat(events.code()).isZero();
        assertThat(events.out().lines().map(l -> l.split(" ")[0]).toList()).contains("STATUS", "queued", "dispatched", "sending", "sent");

        Run missing = cli("messages", "get", "999999999");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("herald: HTTP 404: ");
    }

    @Test
    @Order(3)
    void dead_letters_list_requeue_in_rounds_and_purge() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send("webhook", receiver.url()));
        }
        for (long id : ids) {
            Run dead = cli("messages", "wait", Long.toString(id), "--timeout", "60s", "--json");
            assertThat(dead.json().get("status").asText()).isEqualTo("dead");
        }

        Run list = cli("dead-letters", "list", "--limit", "2", "--all", "--json");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.json().get("deadLetters").findValuesAsText("id")).containsExactlyElementsOf(ids.stream().map(String::valueOf).toList());
        assertThat(list.err()).contains("read 2 dead letters");

        Run requeued = cli("dead-letters", "requeue", "--older-than", "0s", "--chunk", "2");
        assertThat(requeued.code()).as(requeued.err()).isZero();
        assertThat(requeued.out()).isEqualTo("requeued 3 dead letter(s)\n");
        assertThat(requeued.err()).startsWith("requeued 2 dead letters so far");
        for (long id : ids) {
            assertThat(cli("messages", "wait", Long.toString(id), "--timeout", "60s", "--json").json().get("status").asText()).isEqualTo("dead");
        }

        Run purged = cli("dead-letters", "purge", "--admin", "--application", "cli-app", "--older-than", "0s", "--json");
        assertThat(purged.code()).as(purged.err()).isZero();
        assertThat(purged.json().get("purged").asInt()).isEqualTo(3);
        assertThat(cli("messages", "get", Long.toString(ids.get(0)), "--json").json().get("status").asText()).isEqualTo("purged");
    }

    @Test
    @Order(4)
    void policy_set_changes_the_stored_policy_and_get_reads_it_back() throws Exception {
        Run set = cli("policy", "set", "cli-app", "weight=3", "quota.hard=1000", "retry.schedule=1s,2s");
        assertThat(set.code()).as(set.err()).isZero();

        Run got = cli("policy", "get", "cli-app", "--json");
        JsonNode settings = got.json().get("settings");
        assertThat(settings.get("weight").asText()).isEqualTo("3");
        assertThat(settings.get("quota.hard").asText()).isEqualTo("1000");
        assertThat(settings.get("quota.soft").asText()).startsWith("default");
        assertThat(settings.get("retry.schedule").asText()).contains("1s").contains("2s");

        Run bad = cli("policy", "set", "cli-app", "weight=0");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("herald: HTTP 400: ").contains("weight");
    }

    @Test
    @Order(5)
    void dispatch_pause_holds_messages_until_resume() throws Exception {
        assertThat(cli("dispatch", "pause").code()).isZero();
        long id = send("log", "while-paused");
        Run held = cli("messages", "wait", Long.toString(id), "--timeout", "2s");
        assertThat(held.code()).isEqualTo(1);
        assertThat(held.err()).endsWith("herald: message " + id + " is still queued after 2 s\n");

        Run resumed = cli("dispatch", "resume", "--json");
        assertThat(resumed.json().get("paused").asBoolean()).isFalse();
        assertThat(cli("messages", "wait", Long.toString(id), "--timeout", "60s").code()).isZero();
    }

    @Test
    @Order(6)
    void cluster_and_step_down_move_the_leader() throws Exception {
        Run view = cli("cluster", "--json");
        assertThat(view.code()).as(view.err()).isZero();
        String leader = view.json().get("leader").asText();
        assertThat(view.json().get("masters").findValuesAsText("id")).containsExactlyInAnyOrder("cli-m1", "cli-m2");
        assertThat(view.json().get("workers").findValuesAsText("id")).containsExactly("cli-w1");
        assertThat(cli("cluster").out()).contains("leader: " + leader).contains("cli-w1");

        Run stepped = cli("step-down", "--json");
        assertThat(stepped.code()).as(stepped.err()).isZero();
        assertThat(stepped.json().get("previous").asText()).isEqualTo(leader);
        assertThat(stepped.json().get("leader").asText()).isNotEqualTo(leader).startsWith("cli-m");
    }

    @Test
    @Order(7)
    void drain_empties_a_worker_and_resume_lets_it_take_tasks_again() throws Exception {
        Run drained = cli("drain", "cli-w1", "--wait", "30s", "--json");
        assertThat(drained.code()).as(drained.err()).isZero();
        assertThat(drained.json().get("drained").asBoolean()).isTrue();
        long id = send("log", "while-drained");
        assertThat(cli("messages", "wait", Long.toString(id), "--timeout", "2s").code()).isEqualTo(1);

        assertThat(cli("drain", "cli-w1", "--resume").code()).isZero();
        Run delivered = cli("messages", "wait", Long.toString(id), "--timeout", "60s");
        assertThat(delivered.code()).as(delivered.err() + cli("messages", "events", Long.toString(id)).out()).isZero();

        Run unknown = cli("drain", "no-such-worker");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no live worker named 'no-such-worker'");
    }

    @Test
    @Order(7)
    void suppressions_add_list_and_remove_decide_whether_a_target_is_sent_to() throws Exception {
        Run added = cli("suppressions", "add", "log", "cli-gone", "--reason", "retired", "--json");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.json().get("source").asText()).isEqualTo("api");
        long suppressed = send("log", "cli-gone");
        assertThat(cli("messages", "wait", Long.toString(suppressed), "--timeout", "60s", "--json").json().get("status").asText())
                .isEqualTo("suppressed");

        Run listed = cli("suppressions", "list", "--channel", "log");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("cli-gone", "retired", "api");
        Run bad = cli("suppressions", "add", "fax", "x");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("herald: HTTP 400: channel: unknown channel 'fax'");

        assertThat(cli("suppressions", "remove", "log", "cli-gone").code()).isZero();
        assertThat(cli("suppressions", "remove", "log", "cli-gone").code()).isEqualTo(1);
        long sent = send("log", "cli-gone");
        assertThat(cli("messages", "wait", Long.toString(sent), "--timeout", "60s", "--json").json().get("status").asText()).isEqualTo("sent");
    }

    @Test
    @Order(7)
    void messages_cancel_by_id_and_by_key_and_recipients_opt_outs_decide_what_is_sent() throws Exception {
        String later = java.time.Instant.now().plus(java.time.Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        long[] scheduled = new long[3];
        for (int i = 0; i < scheduled.length; i++) {
            Run sent = cli("messages", "send", "--channel", "log", "--target", "cli-later", "--body", "b", "--send-at", later,
                    "--cancel-key", "cli-later", "--json");
            assertThat(sent.code()).as(sent.err()).isZero();
            assertThat(sent.json().get("status").asText()).isEqualTo("scheduled");
            scheduled[i] = sent.json().get("id").asLong();
        }
        Run one = cli("messages", "cancel", Long.toString(scheduled[0]));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out().lines().toList()).hasSize(2).last().asString().matches(scheduled[0] + " +cancelled");
        Run byKey = cli("messages", "cancel", "--cancel-key", "cli-later");
        assertThat(byKey.code()).as(byKey.err()).isZero();
        assertThat(byKey.out()).isEqualTo("cancelled 2 message(s) with cancelKey cli-later\n");
        assertThat(cli("messages", "get", Long.toString(scheduled[2]), "--json").json().get("status").asText()).isEqualTo("cancelled");

        long sent = send("log", "cli-sent");
        assertThat(cli("messages", "wait", Long.toString(sent), "--timeout", "60s").code()).isZero();
        Run late = cli("messages", "cancel", Long.toString(sent));
        assertThat(late.code()).isEqualTo(1);
        assertThat(late.err()).isEqualTo("herald: HTTP 409: id: message " + sent + " is sent; only a queued or scheduled message can be cancelled\n");

        Run set = cli("recipients", "set", "cli-reader", "--category", "marketing");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(cli("recipients", "get", "cli-reader", "--json").json().get("optOut").get("categories").get(0).asText()).isEqualTo("marketing");
        Run optedOut = cli("messages", "send", "--channel", "log", "--target", "cli-reader", "--body", "b", "--recipient", "cli-reader",
                "--category", "marketing", "--json");
        assertThat(cli("messages", "wait", optedOut.json().get("id").asText(), "--timeout", "60s", "--json").json().get("status").asText())
                .isEqualTo("opted_out");
        Run critical = cli("messages", "send", "--channel", "log", "--target", "cli-reader", "--body", "b", "--recipient", "cli-reader",
                "--category", "marketing", "--critical", "--json");
        assertThat(cli("messages", "wait", critical.json().get("id").asText(), "--timeout", "60s", "--json").json().get("status").asText())
                .isEqualTo("sent");

        Path csv = Files.writeString(home.resolve("opt-outs.csv"), "recipient,all\ncli-reader,true\ncli-other,false\n");
        Run imported = cli("recipients", "import", "cli-import", "--file", csv.toString(), "--json");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.json().get("state").asText()).isEqualTo("done");
        assertThat(imported.json().get("recipients").asLong()).isEqualTo(2);
        assertThat(cli("recipients", "import-progress", "cli-import").out()).contains("cli-import", "done");
        assertThat(cli("recipients", "get", "cli-reader", "--json").json().get("optOut").get("all").asBoolean()).isTrue();
    }

    @Test
    @Order(8)
    void apps_revoke_ends_the_keys() throws Exception {
        Run revoked = cli("apps", "revoke", "--all-keys-of", "cli-app", "--json");
        assertThat(revoked.code()).as(revoked.err()).isZero();
        assertThat(revoked.json().get("revoked").asInt()).isEqualTo(2);
        Run refused = cli("messages", "get", "1");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("herald: HTTP 401: ");
    }
}
