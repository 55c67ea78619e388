package io.herald.worker.metrics;

import io.herald.common.metrics.Histograms;
import io.herald.common.model.Channel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The worker's per-message metrics, in Prometheus form so that they add up across workers:
 * {@code herald_send_duration_seconds{channel}} (every attempt, whatever its result),
 * {@code herald_delivery_latency_seconds{channel}} (a message's enqueue to its successful send) and
 * {@code herald_messages_total{status,channel}} (each attempt's outcome). Every label combination is
 * looked up once per channel, so a message costs a map read and atomic adds, no label lookup.
 */
public final class DeliveryMetrics {
    /** What became of one attempt, as the {@code status} label. */
    public enum Status {
        SENT, RETRIED, DEAD_LETTERED, FELL_BACK, NOT_ATTEMPTED, DRY_RUN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One channel's data points, looked up once per channel. */
    private record PerChannel(DistributionDataPoint sendDuration, DistributionDataPoint deliveryLatency, CounterDataPoint[] outcomes) {}

    private final Histogram send;
    private final Histogram latency;
    private final Counter messages;
    /** Channels come from plug-ins: their data points are made on a channel's first message, then read from here. */
    private final ConcurrentMap<Channel, PerChannel> channels = new ConcurrentHashMap<>();

    public DeliveryMetrics(PrometheusRegistry registry) {
        send = Histograms.seconds(registry, "herald_send_duration_seconds",
                "One send attempt through its channel, whatever its result", Histograms.SHORT_SECONDS, "channel");
        latency = Histograms.seconds(registry, "herald_delivery_latency_seconds",
                "From a message's enqueue (its created_at, database clock) to its successful send (this worker's clock)",
                Histograms.LONG_SECONDS, "channel");
        messages = Counter.builder().name("herald_messages_total")
                .help("Send attempts by outcome: sent, retried, dead_lettered, fell_back, not_attempted, dry_run")
                .labelNames("status", "channel").register(registry);
        for (Channel channel : List.of(Channel.EMAIL, Channel.WEBHOOK, Channel.LOG)) {
            of(channel);
        }
    }

    private PerChannel of(Channel channel) {
        PerChannel found = channels.get(channel);
        return found != null ? found : channels.computeIfAbsent(channel, c -> {
            CounterDataPoint[] outcomes = new CounterDataPoint[Status.values().length];
            for (Status status : Status.values()) {
                outcomes[status.ordinal()] = messages.labelValues(status.label(), c.wireName());
            }
            return new PerChannel(send.labelValues(c.wireName()), latency.labelValues(c.wireName()), outcomes);
        });
    }

    public void sendDuration(Channel channel, long nanos) {
        of(channel).sendDuration().observe(nanos / 1e9);
    }

    public void outcome(Status status, Channel channel) {
        of(channel).outcomes()[status.ordinal()].inc();
    }

    /** A successful send of a message enqueued at {@code createdAt}: counted, and its latency observed. */
    public void sent(Channel channel, Instant createdAt) {
        outcome(Status.SENT, channel);
        long millis = System.currentTimeMillis() - createdAt.toEpochMilli();
        // The two clocks differ: a negative age is skew, not a time machine.
        of(channel).deliveryLatency().observe(Math.max(0, millis) / 1e3);
    }
}
