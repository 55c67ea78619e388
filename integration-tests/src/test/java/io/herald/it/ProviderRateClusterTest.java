package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A provider's rate (here the SMS sending number's) kept by three workers together: each paces at a third of
 * it, so the fake provider never sees more than the rate, however the messages are spread over the workers.
 */
class ProviderRateClusterTest {
    private static final double RATE = 4;
    private static final int WORKERS = 3;
    private static final int MESSAGES = 36;
    /** Arrival jitter: a send due at a slot may reach the fake provider a little late, bunching with the next. */
    private static final long JITTER_NANOS = Duration.ofMillis(100).toNanos();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static String api;
    private static final List<DropwizardTestSupport<HeraldConfiguration>> workers = new ArrayList<>();
    private static HttpServer twilio;
    private static final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startCluster() throws Exception {
        twilio = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        twilio.createContext("/2010-04-01/Accounts/AC1/Messages.json", exchange -> {
            try (exchange) {
                arrivals.add(System.nanoTime());
                exchange.getRequestBody().readAllBytes();
                byte[] created = "{\"sid\":\"SM1\",\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, created.length);
                exchange.getResponseBody().write(created);
            }
        });
        twilio.start();
        cluster = HERALD.cluster()
                .set("channels.sms.baseUrl", "http://127.0.0.1:" + twilio.getAddress().getPort())
                .set("channels.sms.accountSid", "AC1").set("channels.sms.authToken", "token")
                .set("channels.sms.from", "+15550001111").set("channels.sms.ratePerSecond", String.valueOf(RATE))
                .set("channels.sms.maxPaceWait", "1s");
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("rate-master");
        for (int i = 1; i <= WORKERS; i++) {
            workers.add(cluster.startWorker("rate-worker-" + i));
        }
        cluster.useApplication(master, "texts");
        api = ClusterHarness.api(master);
    }

    @AfterAll
    static void stopTwilio() {
        twilio.stop(0);
    }

    @Test
    void three_workers_send_from_one_number_within_its_rate_together() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(cluster.submit(api, "{\"channel\":\"sms\",\"target\":\"+1555000" + (2000 + i) + "\",\"body\":\"code " + i + "\"}"));
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream().allMatch(this::sent));

        List<Long> at = arrivals.stream().sorted().toList();
        assertThat(at).hasSize(MESSAGES);
        // In every window, at most the rate's share of it plus the first send each worker makes at once.
        for (int i = 0; i < at.size(); i++) {
            for (int j = i + 1; j < at.size(); j++) {
                double seconds = (at.get(j) - at.get(i) + JITTER_NANOS) / 1e9;
                assertThat(j - i + 1).as("sends %d to %d, %.2f s apart", i, j, seconds).isLessThanOrEqualTo((int) (RATE * seconds) + WORKERS);
            }
        }
        for (DropwizardTestSupport<HeraldConfiguration> worker : workers) {
            assertThat(smsSent(worker)).as("every worker took a share of the messages").isPositive();
        }
    }

    private boolean sent(long id) {
        try {
            return cluster.status(api, id).get("status").asText().equals("sent");
        } catch (Exception e) {
            return false;
        }
    }

    /** The worker's herald_messages_total{channel="sms",status="sent"}, from its /prometheus. */
    private static double smsSent(DropwizardTestSupport<HeraldConfiguration> worker) throws Exception {
        String text = cluster.get(ClusterHarness.admin(worker) + "/prometheus").body();
        return text.lines().filter(l -> l.startsWith("herald_messages_total{") && l.contains("channel=\"sms\"") && l.contains("status=\"sent\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
