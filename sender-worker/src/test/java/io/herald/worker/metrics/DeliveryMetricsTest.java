package io.herald.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.testing.PrometheusSamples;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);

    @Test
    void every_channel_and_status_is_served_from_the_start_so_rates_and_alerts_have_a_series() {
        assertThat(registry.scrape(n -> n.equals("herald_messages")).get(0).getDataPoints())
                .hasSize(3 * DeliveryMetrics.Status.values().length);
        assertThat(registry.scrape(n -> n.equals("herald_send_duration_seconds")).get(0).getDataPoints()).hasSize(3);
    }

    @Test
    void outcomes_are_counted_by_status_and_channel_and_a_sent_message_observes_its_latency_in_seconds() {
        metrics.outcome(DeliveryMetrics.Status.RETRIED, Channel.WEBHOOK);
        metrics.sent(Channel.WEBHOOK, Instant.now().minusSeconds(90));
        metrics.sendDuration(Channel.WEBHOOK, 20_000_000);

        assertThat(PrometheusSamples.sum(registry, "herald_messages", l -> "webhook".equals(l.get("channel")))).isEqualTo(2);
        assertThat(PrometheusSamples.sum(registry, "herald_messages", "status", "sent")).isEqualTo(1);
        HistogramSnapshot.HistogramDataPointSnapshot latency = histogram("herald_delivery_latency_seconds");
        assertThat(latency.getSum()).isBetween(89.0, 120.0);
        assertThat(histogram("herald_send_duration_seconds").getSum()).isEqualTo(0.02);
    }

    @Test
    void a_created_at_ahead_of_this_workers_clock_counts_as_no_wait_not_a_negative_one() {
        metrics.sent(Channel.EMAIL, Instant.now().plusSeconds(60));

        assertThat(histogram("herald_delivery_latency_seconds").getSum()).isZero();
    }

    private HistogramSnapshot.HistogramDataPointSnapshot histogram(String name) {
        return ((HistogramSnapshot) registry.scrape(n -> n.equals(name)).get(0)).getDataPoints().stream()
                .filter(p -> p.getCount() > 0).findFirst().orElseThrow();
    }
}
