package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FastReceiverTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private CompletableFuture<HttpResponse<String>> post(String url, String key) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"0\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthy_ports_answer_at_once_count_duplicates_and_report_stats() throws Exception {
        try (FastReceiver receiver = new FastReceiver(8, new LatencyRecorder(), new int[] {0, 0}, null, 0)) {
            assertThat(receiver.urls()).hasSize(2).doesNotHaveDuplicates();
            assertThat(post(receiver.urls().get(0), "k1").get().statusCode()).isEqualTo(200);
            assertThat(post(receiver.urls().get(1), "k1").get().statusCode()).isEqualTo(200);
            assertThat(post(receiver.urls().get(1), "k2").get().statusCode()).isEqualTo(200);
            String stats = http.send(HttpRequest.newBuilder(URI.create(receiver.url().replace("/hook", "/stats"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(stats).isEqualTo("{\"distinct\":2,\"duplicates\":1,\"slowArrivals\":0}");
        }
    }

    @Test
    void the_slow_port_holds_its_answer_for_the_delay_and_never_means_never() throws Exception {
        try (FastReceiver delayed = new FastReceiver(8, new LatencyRecorder(), new int[] {0}, SlowMode.parse("300ms"), 0);
                FastReceiver never = new FastReceiver(8, new LatencyRecorder(), new int[] {0}, SlowMode.NEVER, 0)) {
            long start = System.nanoTime();
            assertThat(post(delayed.slowUrl(), "s1").get().statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(delayed.slowArrivals()).isEqualTo(1);
            assertThat(delayed.distinct()).isZero();

            CompletableFuture<HttpResponse<String>> held = post(never.slowUrl(), "s2");
            await().atMost(Duration.ofSeconds(10)).until(() -> never.slowArrivals() == 1);
            assertThat(post(never.url(), "h1").get().statusCode()).isEqualTo(200);
            assertThat(held).isNotDone();
        }
    }
}
