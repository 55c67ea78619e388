package io.herald.worker.metrics;

import io.herald.common.metrics.Histograms;
import io.herald.common.model.Channel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Locale;

/**
 * The worker's per-message metrics, in Prometheus form so that they add up across workers:
 * {@code herald_send_duration_seconds{channel}} (every attempt, whatever its result),
 * {@code herald_delivery_latency_seconds{channel}} (a message's enqueue to its successful send) and
 * {@code herald_messages_total{status,channel}} (each attempt's outcome). Every label combination is
 * looked up once, here, so a message costs array reads and atomic adds, no label lookup.
 */
public final class DeliveryMetrics {
    /** What became of one attempt, as the {@code status} label. */
    public enum Status {
        SENT, RETRIED, DEAD_LETTERED, FELL_BACK, NOT_ATTEMPTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final DistributionDataPoint[] sendDuration = new DistributionDataPoint[Channel.values().length];
    private final DistributionDataPoint[] deliveryLatency = new DistributionDataPoint[Channel.values().length];
    private final CounterDataPoint[][] outcomes = new CounterDataPoint[Status.values().length][Channel.values().length];

    public DeliveryMetrics(PrometheusRegistry registry) {
        Histogram send = Histograms.seconds(registry, "herald_send_duration_seconds",
                "One send attempt through its channel, whatever its result", Histograms.SHORT_SECONDS, "channel");
        Histogram latency = Histograms.seconds(registry, "herald_delivery_latency_seconds",
                "From a message's enqueue (its created_at, database clock) to its successful send (this worker's clock)",
                Histograms.LONG_SECONDS, "channel");
        Counter messages = Counter.builder().name("herald_messages_total")
                .help("Send attempts by outcome: sent, retried, dead_lettered, fell_back, not_attempted")
                .labelNames("status", "channel").register(registry);
        for (Channel channel : Channel.values()) {
            sendDuration[channel.ordinal()] = send.labelValues(channel.wireName());
            deliveryLatency[channel.ordinal()] = latency.labelValues(channel.wireName());
            for (Status status : Status.values()) {
                outcomes[status.ordinal()][channel.ordinal()] = messages.labelValues(status.label(), channel.wireName());
            }
        }
    }

    public void sendDuration(Channel channel, long nanos) {
        sendDuration[channel.ordinal()].observe(nanos / 1e9);
    }

    public void outcome(Status status, Channel channel) {
        outcomes[status.ordinal()][channel.ordinal()].inc();
    }

    /** A successful send of a message enqueued at {@code createdAt}: counted, and its latency observed. */
    public void sent(Channel channel, Instant createdAt) {
        outcome(Status.SENT, channel);
        long millis = System.currentTimeMillis() - createdAt.toEpochMilli();
        // The two clocks differ: a negative age is skew, not a time machine.
        deliveryLatency[channel.ordinal()].observe(Math.max(0, millis) / 1e3);
    }
}
