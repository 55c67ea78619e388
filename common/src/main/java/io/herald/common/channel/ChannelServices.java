package io.herald.common.channel;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/** What a worker lends the channels it opens. */
public interface ChannelServices {
    /** The worker's node id, for log lines and thread names. */
    String workerId();

    Clock clock();

    ObjectMapper json();

    /** The worker's guarded, bounded, laned HTTP client. */
    HttpPoster http();

    /** Applications' signing secrets, current first. */
    SecretSource secrets();

    MetricRegistry metrics();

    /** The worker's registry of labelled metrics, served at /prometheus; a channel unregisters what it added when it closes. */
    PrometheusRegistry prometheus();

    /** The worker's health checks; a channel's check shows on the worker's /healthcheck and in the console. */
    HealthCheckRegistry healthChecks();

    /**
     * A pace of {@code perSecond} sends per key (a webhook URL, a sender number, an SMTP relay) for one
     * provider, kept by all the workers together: each paces at its share of the rate.
     */
    Pacer pacer(String provider, double perSecond);
}
