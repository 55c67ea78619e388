package io.herald.worker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.WebhookConfig;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.SendResult.Cause;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP client against real Jetty receivers on loopback. */
class HttpDeliveryTest {
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofHours(10);
    private static final byte[] BODY = "{\"id\":1}".getBytes();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final MetricRegistry metrics = new MetricRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private HttpDelivery delivery(Consumer<WebhookConfig> tune) {
        return delivery(tune, address -> true, HttpDelivery.defaultTls());
    }

    private HttpDelivery delivery(Consumer<WebhookConfig> tune, Predicate<InetAddress> allowed, SslContextFactory.Client tls) {
        WebhookConfig config = new WebhookConfig();
        config.requestTimeout = io.dropwizard.util.Duration.seconds(5);
        // On a loaded machine an answer can take long enough that a 1 s queue wait would hand back
        // some of a burst; the tests about queueing set their own.
        config.maxQueueWait = io.dropwizard.util.Duration.minutes(1);
        tune.accept(config);
        return closing(new HttpDelivery(config, "test-worker", allowed, tls, LONGEST_RETRY_AFTER, Clock.systemUTC(), metrics));
    }

    private static SendResult post(HttpDelivery http, String url) {
        return http.post(url, Map.of("Idempotency-Key", "herald-1"), BODY).join();
    }

    private static List<SendResult> burst(HttpDelivery http, String url, int count) {
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sends.add(http.post(url, Map.of(), BODY));
        }
        return sends.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void a_2xx_is_sent_and_the_receiver_gets_the_body_and_headers_over_http_1_1() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.ok()));
        HttpDelivery http = delivery(c -> {});

        assertThat(post(http, receiver.url())).isEqualTo(SendResult.SENT);
        Receiver.Received got = receiver.received().get(0);
        assertThat(got.body()).isEqualTo(BODY);
        assertThat(got.headers().get("Idempotency-Key")).isEqualTo("herald-1");
        assertThat(got.headers().get("Content-Type")).startsWith("application/json");
        assertThat(got.headers().get("User-Agent")).isEqualTo("Herald");
        assertThat(got.version()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void statuses_are_judged_5xx_and_408_transient_other_4xx_and_redirects_permanent() throws Exception {
        HttpDelivery http = delivery(c -> c.pauseAfterFailures = 100);
        for (int status : new int[] {500, 503, 408}) {
            Receiver receiver = closing(Receiver.http(Receiver.status(status, Map.of(), "try later")));
            SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());
            assertThat(t.error()).contains("HTTP " + status).contains("try later");
            assertThat(t.cause()).isEqualTo(Cause.SERVER_ERROR);
            assertThat(t.ambiguous()).isFalse();
        }
        for (int status : new int[] {400, 401, 404, 407, 410, 302, 301}) {
            Receiver receiver = closing(Receiver.http(Receiver.status(status, Map.of("Location", "http://127.0.0.1:1/"), "")));
            assertThat(post(http, receiver.url())).isInstanceOf(SendResult.Permanent.class);
        }
    }

    @Test
    void only_the_first_kib_of_an_error_body_is_kept() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.status(500, Map.of(), "e".repeat(50_000))));
        SendResult.Transient t = (SendResult.Transient) post(delivery(c -> {}), receiver.url());

        assertThat(t.error()).hasSizeLessThan(BoundedAnswer.KEPT_BYTES + 100);
    }

    @Test
    void a_huge_retry_after_in_seconds_or_as_a_year_9999_date_is_capped() throws Exception {
        HttpDelivery http = delivery(c -> c.pauseAfterFailures = 100);
        for (String retryAfter : new String[] {"10000000000", "Fri, 31 Dec 9999 23:59:59 GMT"}) {
            Receiver receiver = closing(Receiver.http(Receiver.status(429, Map.of("Retry-After", retryAfter), "")));
            SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());
            assertThat(t.retryAfter()).isEqualTo(LONGEST_RETRY_AFTER);
            assertThat(t.cause()).isEqualTo(Cause.TOO_MANY_REQUESTS);
        }
    }

    @Test
    void a_stalled_body_times_out_as_an_ambiguous_attempt_within_the_request_timeout() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.stalledBody()));
        HttpDelivery http = delivery(c -> c.requestTimeout = io.dropwizard.util.Duration.milliseconds(300));

        SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());

        assertThat(t.cause()).isEqualTo(Cause.TIMEOUT);
        assertThat(t.ambiguous()).isTrue();
        assertThat(t.error()).startsWith("request sent, answer lost");
        assertThat(http.lanes().snapshot(receiver.url()).inFlight()).isZero();
    }

    @Test
    void a_flooding_body_is_cut_off_at_its_bound_and_is_an_ambiguous_attempt() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.floodingBody()));
        HttpDelivery http = delivery(c -> c.maxResponseBytes = 64 * 1024);

        SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());

        assertThat(t.ambiguous()).isTrue();
        assertThat(t.error()).contains("over 65536 bytes");
    }

    @Test
    void a_connection_dropped_after_the_request_was_written_is_ambiguous() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.dropsConnection()));
        HttpDelivery http = delivery(c -> {});

        SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());

        assertThat(t.ambiguous()).isTrue();
        assertThat(t.cause()).isEqualTo(Cause.CONNECTION_LOST);
        assertThat(receiver.received()).hasSize(1);
    }

    /**
     * The race the drill found: a receiver that reads the whole request and closes at once can beat
     * Jetty's commit notification, and the request was then taken for unsent and resent at once, with
     * no ambiguous attempt recorded. Many sends in a row, each must be ambiguous and reach it once.
     */
    @Test
    void a_receiver_that_reads_the_request_and_closes_at_once_never_gets_an_unrecorded_resend() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.dropsConnection()));
        HttpDelivery http = delivery(c -> c.pauseAfterFailures = 10_000); // judge every send; never pause the lane

        for (int i = 1; i <= 200; i++) {
            SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());
            assertThat(t.ambiguous()).as("send %d: %s", i, t.error()).isTrue();
            assertThat(receiver.received()).as("requests after send %d", i).hasSize(i);
        }
    }

    @Test
    void a_refused_connection_is_retried_at_once_and_then_reported_as_not_sent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpDelivery http = delivery(c -> c.unsentRetries = 2);

        SendResult.Transient t = (SendResult.Transient) post(http, "http://127.0.0.1:" + closedPort + "/hook");

        assertThat(t.ambiguous()).isFalse();
        assertThat(t.cause()).isEqualTo(Cause.REFUSED);
        assertThat(t.error()).startsWith("request not sent");
        assertThat(metrics.meter("herald.webhook.unsent_retries.refused").getCount()).isEqualTo(2);
    }

    @Test
    void a_blocked_address_fails_for_good_and_nothing_is_sent() throws Exception {
        Receiver receiver = closing(Receiver.http(Receiver.ok()));
        HttpDelivery http = delivery(c -> {}, address -> !address.getHostAddress().equals("127.0.0.1"), HttpDelivery.defaultTls());

        SendResult result = post(http, receiver.url());

        assertThat(result).isInstanceOf(SendResult.Permanent.class);
        assertThat(((SendResult.Permanent) result).error()).startsWith("blocked address").contains("127.0.0.1");
        assertThat(receiver.received()).isEmpty();
        assertThat(receiver.connectionsEver()).isZero();
    }

    @Test
    void a_receiver_that_closes_idle_connections_costs_no_attempt() throws Exception {
        Receiver receiver = closing(Receiver.closingIdle(1_000, Receiver.ok()));
        HttpDelivery http = delivery(c -> {});

        for (int round = 0; round < 4; round++) {
            assertThat(burst(http, receiver.url(), 20)).allMatch(r -> r instanceof SendResult.Sent);
            // The next burst comes once the receiver has closed every connection it had idle for 1 s.
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.openConnections() == 0);
        }
        assertThat(receiver.received()).hasSize(80);
    }

    @Test
    void a_receiver_accepting_only_n_connections_gets_every_message_over_at_most_n() throws Exception {
        Receiver receiver = closing(Receiver.accepting(3, Receiver.ok()));
        HttpDelivery http = delivery(c -> {
            c.maxConnectionsPerDestination = 3;
            c.initialLimitPerDestination = 3;
            c.maxQueuedPerDestination = 500;
        });
        assertThat(post(http, receiver.url())).isEqualTo(SendResult.SENT); // the lane learns the receiver's pace

        assertThat(burst(http, receiver.url(), 300)).allMatch(r -> r instanceof SendResult.Sent);
        assertThat(receiver.received()).hasSize(301);
        assertThat(receiver.mostConnectionsAtOnce()).isLessThanOrEqualTo(3);
    }

    @Test
    void tls_with_http_2_by_alpn_against_a_self_signed_receiver_the_client_trusts(@TempDir Path directory) throws Exception {
        Receiver.Tls tls = Receiver.Tls.selfSigned(directory);
        Receiver receiver = closing(Receiver.https(tls, Receiver.ok()));
        HttpDelivery http = delivery(c -> {}, address -> true, tls.trustingClient());

        assertThat(post(http, receiver.url())).isEqualTo(SendResult.SENT);
        assertThat(burst(http, receiver.url(), 20)).allMatch(r -> r instanceof SendResult.Sent);
        assertThat(receiver.received()).hasSize(21).allMatch(r -> r.version() == HttpVersion.HTTP_2);
        // Multiplexed: far fewer connections than requests.
        assertThat(receiver.connectionsEver()).isLessThan(receiver.received().size() / 2);
    }

    @Test
    void a_failed_tls_handshake_is_not_an_attempt(@TempDir Path directory) throws Exception {
        Receiver receiver = closing(Receiver.https(Receiver.Tls.selfSigned(directory), Receiver.ok()));
        HttpDelivery http = delivery(c -> {}); // the JVM's trust store does not know the receiver's certificate

        SendResult.Transient t = (SendResult.Transient) post(http, receiver.url());

        assertThat(t.ambiguous()).isFalse();
        assertThat(t.cause()).isEqualTo(Cause.TLS);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void a_slow_receiver_holds_no_more_than_its_limit_and_queue_while_fast_ones_go_on() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Receiver slow = closing(Receiver.http(Receiver.heldUntil(release)));
        Receiver fast = closing(Receiver.http(Receiver.ok()));
        HttpDelivery http = delivery(c -> {
            c.initialLimitPerDestination = 4;
            c.maxQueuedPerDestination = 10; // below the 32 (8 x 4) an unmeasured lane would queue
        });

        List<CompletableFuture<SendResult>> toSlow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            toSlow.add(http.post(slow.url(), Map.of(), BODY));
        }
        for (int i = 0; i < 30; i++) {
            assertThat(post(http, fast.url())).isEqualTo(SendResult.SENT);
        }

        // 4 in flight and 10 waiting hold their place; the other 36 are handed back at once, unsent.
        assertThat(toSlow.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
                .hasSize(36).allMatch(r -> r instanceof SendResult.Deferred d && d.reason().contains("busy"));
        Lane.Snapshot lane = http.lanes().snapshot(slow.url());
        assertThat(lane.inFlight()).isEqualTo(4);
        assertThat(lane.waiting()).isEqualTo(10);
        assertThat(metrics.getGauges().get("herald.webhook.requests_queued").getValue()).isEqualTo(10);
        assertThat(metrics.getGauges().get("herald.webhook.busiest_destination.1.in_flight").getValue()).isEqualTo(4);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> toSlow.stream().allMatch(CompletableFuture::isDone));
        // Once its pace is known, what it can no longer take within the queue wait is handed back too;
        // exactly those reported sent reached it.
        long sent = toSlow.stream().map(CompletableFuture::join).filter(r -> r instanceof SendResult.Sent).count();
        assertThat(sent).isBetween(4L, 14L);
        assertThat(slow.received()).hasSize((int) sent);
    }

    @Test
    void a_destination_that_slows_down_hands_back_what_it_can_no_longer_take_within_the_queue_wait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Receiver receiver = closing(Receiver.http((request, body, response, callback) -> {
            if (request.getHeaders().get("X-Hold") != null) {
                Receiver.heldUntil(release).answer(request, body, response, callback);
            } else {
                Receiver.ok().answer(request, body, response, callback);
            }
        }));
        HttpDelivery http = delivery(c -> {
            c.initialLimitPerDestination = 2;
            c.maxQueueWait = io.dropwizard.util.Duration.milliseconds(500);
            c.requestTimeout = io.dropwizard.util.Duration.milliseconds(1_500);
        });
        assertThat(post(http, receiver.url())).isEqualTo(SendResult.SENT);
        List<CompletableFuture<SendResult>> held = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            held.add(http.post(receiver.url(), Map.of("X-Hold", "yes"), BODY));
        }
        assertThat(http.lanes().snapshot(receiver.url()).waiting()).isGreaterThan(0);

        // The held requests time out after 1.5 s: at that pace nothing can wait 500 ms, so the queue empties, unsent.
        await().atMost(Duration.ofSeconds(20)).until(() -> held.stream().allMatch(CompletableFuture::isDone));
        release.countDown();
        assertThat(held.stream().map(CompletableFuture::join).filter(r -> r instanceof SendResult.Deferred d && d.reason().contains("busy")))
                .isNotEmpty();
        assertThat(http.lanes().snapshot(receiver.url()).waiting()).isZero();
    }

    @Test
    void a_429_storm_shrinks_the_limit_then_pauses_the_destination_and_one_probe_at_a_time_checks_it() throws Exception {
        CountDownLatch releaseProbe = new CountDownLatch(1);
        boolean[] healthy = {false};
        Receiver receiver = closing(Receiver.http((request, body, response, callback) -> {
            if (healthy[0]) {
                Receiver.heldUntil(releaseProbe).answer(request, body, response, callback);
            } else {
                Receiver.status(429, Map.of("Retry-After", "1"), "slow down").answer(request, body, response, callback);
            }
        }));
        HttpDelivery http = delivery(c -> {
            c.pauseAfterFailures = 5;
            c.pauseDuration = io.dropwizard.util.Duration.milliseconds(300);
        });

        for (int i = 0; i < 5; i++) {
            assertThat(post(http, receiver.url())).isInstanceOf(SendResult.Transient.class);
        }
        assertThat(http.lanes().snapshot(receiver.url()).health()).isEqualTo(Lane.Health.PAUSED);
        assertThat(http.lanes().snapshot(receiver.url()).limit()).isEqualTo(1);
        assertThat(metrics.getGauges().get("herald.webhook.destinations_paused").getValue()).isEqualTo(1);
        SendResult whilePaused = post(http, receiver.url());
        assertThat(whilePaused).isInstanceOf(SendResult.Deferred.class);
        assertThat(((SendResult.Deferred) whilePaused).reason()).contains("paused after 5 consecutive failures");
        assertThat(receiver.received()).hasSize(5);

        healthy[0] = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> !(http.post(receiver.url(), Map.of(), BODY).getNow(null) instanceof SendResult.Deferred));
        // That send is the probe, and it is held; everything else meanwhile is handed back unsent.
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 6);
        assertThat(http.lanes().snapshot(receiver.url()).health()).isEqualTo(Lane.Health.PROBING);
        assertThat(burst(http, receiver.url(), 10)).allMatch(r -> r instanceof SendResult.Deferred d && d.reason().contains("probe"));
        assertThat(receiver.received()).hasSize(6);

        releaseProbe.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.lanes().snapshot(receiver.url()).health() == Lane.Health.FLOWING);
        assertThat(burst(http, receiver.url(), 10)).allMatch(r -> r instanceof SendResult.Sent);
        assertThat(metrics.getGauges().get("herald.webhook.destinations_paused").getValue()).isEqualTo(0);
    }
}
