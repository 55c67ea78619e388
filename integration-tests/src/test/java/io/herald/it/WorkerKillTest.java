package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker process is SIGKILLed while it holds tasks and has sends in flight. Nothing is lost: its
 * tasks go to another worker, and the sends it started but never recorded become {@code unknown},
 * visible and requeueable, never silently resent (unknownOutcome=park, the default); or, for an
 * application that chose unknownOutcome=resend, are resent with the same ids and counted ambiguous.
 */
class WorkerKillTest {
    private static final Path WORKER_JAR = Path.of("..", "sender-worker", "target", "sender-worker.jar");
    private static final int MESSAGES = 200;
    private static final int IN_FLIGHT = 20;
    private static final int PASSED_BEFORE_KILL = 30;

    @RegisterExtension
    final ClusterExtension herald = new ClusterExtension();

    private TestingServer zooKeeper;
    private TestDatabase database;
    private WebhookReceiver receiver;
    private ClusterHarness cluster;
    private Process doomed;

    @BeforeEach
    void setUp() throws Exception {
        assertThat(WORKER_JAR).as("the worker jar; build it with 'mvn package' (the test command does)").exists();
        zooKeeper = herald.zooKeeper();
        database = herald.database();
        receiver = new WebhookReceiver();
        cluster = herald.cluster().set("master.taskSize", "50");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (doomed != null) {
            doomed.destroyForcibly();
        }
        receiver.close();
    }

    /** Submits the messages to a master and a doomed worker, kills the worker with sends in flight, starts a survivor. */
    private void killMidSend(String unknownOutcome) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger arrivals = new AtomicInteger();
        receiver.answer((r, seen) -> {
            // The first requests pass; then the receiver hangs, so the doomed worker has sends in flight.
            if (arrivals.incrementAndGet() > PASSED_BEFORE_KILL) {
                awaitQuietly(gate);
            }
            return WebhookReceiver.Answer.OK;
        });
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("kill-master");
        cluster.useApplication(master, "kill");
        HttpResponse<String> chosen = cluster.post(ClusterHarness.admin(master) + "/tasks/app-unknown-outcome?application=kill&unknownOutcome="
                + unknownOutcome, "");
        assertThat(chosen.body()).contains("unknownOutcome=" + unknownOutcome);
        String api = ClusterHarness.api(master);
        doomed = startWorkerProcess();
        submit(api);

        await().atMost(Duration.ofSeconds(60)).until(() -> arrivals.get() >= PASSED_BEFORE_KILL + IN_FLIGHT);
        doomed.destroyForcibly().waitFor();   // SIGKILL: no drain, no goodbye to ZooKeeper
        gate.countDown();
        cluster.startWorker("survivor");
    }

    @Test
    void a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice_silently() throws Exception {
        killMidSend("park");

        await().atMost(Duration.ofSeconds(90)).until(() -> {
            Map<String, Integer> counts = Rows.statusCounts(database.database());
            return counts.getOrDefault("sent", 0) + counts.getOrDefault("unknown", 0) == MESSAGES;
        });
        Set<Long> unknown = ids("SELECT id FROM message WHERE status = 'unknown'");
        assertThat(unknown).as("only sends that were in flight become unknown").hasSizeLessThanOrEqualTo(IN_FLIGHT);
        assertThat(acceptedTwice()).isEmpty();
        Set<Long> accepted = receiver.accepted().stream().map(WebhookReceiver.Received::messageId).collect(Collectors.toSet());
        assertThat(ids("SELECT id FROM message WHERE status = 'sent'")).allMatch(accepted::contains);

        HttpResponse<String> requeue = cluster.post(ClusterHarness.admin(cluster.nodes().get(0)) + "/tasks/requeue?status=unknown", "");
        assertThat(requeue.body()).contains("requeued " + unknown.size());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.statusCounts(database.database()).getOrDefault("sent", 0) == MESSAGES);
        Set<Long> everyone = receiver.accepted().stream().map(WebhookReceiver.Received::messageId).collect(Collectors.toSet());
        assertThat(everyone).hasSize(MESSAGES);
        // A repeat is possible only for an operator-requeued unknown send, and it carries the same key.
        assertThat(unknown).containsAll(acceptedTwice());
    }

    @Test
    void with_unknown_outcome_resend_every_message_ends_sent_without_an_operator_and_repeats_carry_the_same_ids() throws Exception {
        killMidSend("resend");

        await().atMost(Duration.ofSeconds(90))
                .until(() -> Rows.statusCounts(database.database()).getOrDefault("sent", 0) == MESSAGES);
        assertThat(Rows.statusCounts(database.database())).containsExactly(Map.entry("sent", MESSAGES));
        Set<Long> resent = ids("SELECT DISTINCT message_id FROM message_event WHERE status = 'queued'"
                + " AND reason LIKE '%unknownOutcome=resend%'");
        assertThat(resent).as("only sends that were in flight are resent").isNotEmpty().hasSizeLessThanOrEqualTo(IN_FLIGHT);
        assertThat(ids("SELECT id FROM message WHERE ambiguous_attempts > 0")).containsExactlyInAnyOrderElementsOf(resent);
        // Every repeat the receiver saw is a resend, carrying the message's one webhook-id and Idempotency-Key.
        assertThat(resent).containsAll(acceptedTwice());
        Map<Long, Set<List<String>>> idsPerMessage = receiver.accepted().stream().collect(Collectors.groupingBy(
                WebhookReceiver.Received::messageId, Collectors.mapping(r -> List.of(r.webhookId(), r.idempotencyKey()), Collectors.toSet())));
        assertThat(idsPerMessage).hasSize(MESSAGES).allSatisfy((id, seen) -> assertThat(seen).containsExactly(List.of("herald-" + id, "herald-" + id)));
        assertThat(acceptedTwice()).as("the hung sends were accepted once by the receiver and once more after the resend").isNotEmpty();
    }

    private Set<Long> acceptedTwice() {
        return receiver.accepted().stream()
                .collect(Collectors.groupingBy(WebhookReceiver.Received::messageId, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private Set<Long> ids(String sql) throws Exception {
        return database.database().withConnection(c -> {
            Set<Long> ids = new HashSet<>();
            try (var s = c.prepareStatement(sql); var rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    private void submit(String api) throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            items.add("{\"channel\":\"webhook\",\"target\":\"%s\",\"body\":\"%d\"}".formatted(receiver.url(), i));
        }
        assertThat(cluster.post(api + "/v1/messages/batch", "[" + String.join(",", items) + "]").statusCode()).isEqualTo(202);
    }

    private Process startWorkerProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", WORKER_JAR.toString(), "server", "../config.yml");
        Map<String, String> env = builder.environment();
        env.put("NODE_ID", "doomed-worker");
        env.put("DB_URL", database.config().url);
        env.put("DB_USER", database.config().user);
        env.put("DB_PASSWORD", database.config().password);
        env.put("ZK_CONNECT", zooKeeper.getConnectString());
        env.put("ZK_SESSION_TIMEOUT", "4s");
        env.put("MASTER_STALLED_TRANSACTION_TIMEOUT", "2s");
        env.put("HTTP_PORT", "0");
        env.put("ADMIN_PORT", "0");
        env.put("WORKER_MAX_IN_FLIGHT", String.valueOf(IN_FLIGHT));
        // Its lane to the one receiver starts at all its permits, so IN_FLIGHT sends hang when it dies.
        env.put("WEBHOOK_INITIAL_LIMIT_PER_DESTINATION", String.valueOf(IN_FLIGHT));
        env.put("WORKER_SEND_LEASE", "3s");
        env.put("ADMIN_TOKEN", ClusterHarness.ADMIN_TOKEN);
        env.put("UNSUBSCRIBE_KEY", ClusterHarness.UNSUBSCRIBE_KEY);
        env.put("WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32");
        File log = Files.createTempFile("doomed-worker", ".log").toFile();
        return builder.redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
