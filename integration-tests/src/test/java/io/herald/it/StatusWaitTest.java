package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/messages/{id}?wait=}: hundreds of callers wait at once without a thread each, and all
 * are answered when their messages are sent.
 */
class StatusWaitTest {
    private static final int WAITERS = 500;
    private static final int WAVE = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static String api;
    private static String key;

    @BeforeAll
    static void startCluster() throws Exception {
        database = HERALD.database();
        cluster = HERALD.cluster();
        master = cluster.startMaster("wait-master");
        key = cluster.useApplication(master, "waiters").apiKey();
        cluster.startWorker("wait-worker");
        api = ClusterHarness.api(master);
    }

    private List<Long> submit(int n) throws Exception {
        String item = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"wait for me\"}";
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", "[" + String.join(",", java.util.Collections.nCopies(n, item)) + "]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<Long> ids = new ArrayList<>();
        JSON.readTree(response.body()).forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    private int waiting() {
        return ((Number) master.getEnvironment().metrics().getGauges().get("herald.master.status_waiters").getValue()).intValue();
    }

    /** Threads of the API's Jetty pool, idle or not; Dropwizard names them dw-N. */
    private static long jettyThreads() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .filter(t -> t.getThreadName().startsWith("dw-")).count();
    }

    /** Threads inside the message resource right now: a blocking long poll would park one per caller here. */
    private static long threadsInTheResource() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .filter(t -> Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith("MessagesResource")))
                .count();
    }

    @Test
    void five_hundred_waiting_callers_hold_no_thread_each_and_all_get_the_final_status() throws Exception {
        assertThat(cluster.post(ClusterHarness.admin(master) + "/tasks/pause-dispatch", "").statusCode()).isEqualTo(200);
        List<Long> ids = submit(WAITERS);
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(10)).build();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        // Sent in waves, so that Jetty's pool is sized by a wave of arriving requests, not by the waiting.
        for (int from = 0; from < WAITERS; from += WAVE) {
            for (long id : ids.subList(from, from + WAVE)) {
                answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(api + "/v1/messages/" + id + "?wait=60s"))
                        .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            int expected = from + WAVE;
            await().atMost(WAIT).until(() -> waiting() == expected);
        }

        assertThat(waiting()).isEqualTo(WAITERS);
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        // The figures, for the record.
        System.out.printf("%d waiting: %d Jetty threads, JVM threads %d -> %d, %d in the resource%n", WAITERS,
                jettyThreads(), threadsBefore, ManagementFactory.getThreadMXBean().getThreadCount(), threadsInTheResource());
        assertThat(threadsInTheResource()).isZero();
        assertThat(jettyThreads()).isLessThan(WAITERS / 4);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore).isLessThan(WAITERS / 3);

        // A short wait on a message that cannot move runs out and answers its current status, 200.
        HttpResponse<String> shortWait = cluster.get(api + "/v1/messages/" + ids.get(0) + "?wait=300ms");
        assertThat(shortWait.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(shortWait.body()).get("status").asText()).isEqualTo("queued");

        assertThat(cluster.post(ClusterHarness.admin(master) + "/tasks/resume-dispatch", "").statusCode()).isEqualTo(200);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode view = JSON.readTree(response.body());
            assertThat(view.get("status").asText()).isEqualTo("sent");
        }
        assertThat(waiting()).isZero();
        clientThreads.shutdownNow();
    }

    @Test
    void a_message_already_final_is_answered_at_once_and_another_applications_message_is_404() throws Exception {
        long id = submit(1).get(0);
        HttpResponse<String> sent = cluster.get(api + "/v1/messages/" + id + "?wait=60s");
        assertThat(JSON.readTree(sent.body()).get("status").asText()).isEqualTo("sent");
        HttpResponse<String> again = cluster.get(api + "/v1/messages/" + id + "?wait=60s");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(waiting()).isZero();

        String otherKey = cluster.createApplication(master, "someone-else").apiKey();
        assertThat(cluster.get(api + "/v1/messages/" + id + "?wait=5s", otherKey).statusCode()).isEqualTo(404);
    }
}
