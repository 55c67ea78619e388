package io.herald.worker.channel;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.HttpPoster;
import io.herald.common.channel.LocalPacer;
import io.herald.common.channel.Pacer;
import io.herald.common.channel.SecretSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * What this worker lends its channels. Paces are kept in this worker's memory at its share of each rate:
 * {@code sharing} says how many workers share it ({@link WorkerShare#workers()} in a running worker).
 */
public record WorkerServices(String workerId, Clock clock, ObjectMapper json, HttpPoster http, SecretSource secrets,
                             MetricRegistry metrics, PrometheusRegistry prometheus, HealthCheckRegistry healthChecks,
                             IntSupplier sharing) implements ChannelServices {
    @Override
    public Pacer pacer(String provider, double perSecond) {
        return new LocalPacer(perSecond, sharing, System::nanoTime);
    }
}
