package io.herald.common.channel.builtin;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.Channels;
import io.herald.common.channel.SendResult;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.template.TemplateFormat;
import io.herald.worker.channel.WorkerServices;
import io.herald.worker.core.OutgoingMessage;
import io.herald.worker.http.HttpDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker's channels as WorkerApplication opens them (ServiceLoader, channels.&lt;name&gt; bound from JSON, the
 * real HttpDelivery with its address guard), against fake providers on loopback.
 */
abstract class ProviderFixture {
    static final ObjectMapper JSON = Jackson.newObjectMapper();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** A configuration whose address guard lets loopback through, as a test of a local fake provider needs. */
    static HeraldConfiguration loopbackConfig(String channel, String settingsJson) throws Exception {
        HeraldConfiguration config = new HeraldConfiguration();
        config.webhook.allowNetworks = "127.0.0.0/8";
        config.webhook.requestTimeout = io.dropwizard.util.Duration.seconds(5);
        config.channels.put(channel, JSON.readTree(settingsJson));
        return config;
    }

    /** A receiver's scheme, host and port, without its path. */
    static String origin(io.herald.worker.http.Receiver receiver) {
        java.net.URI uri = java.net.URI.create(receiver.url());
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    static Channels channels(HeraldConfiguration config) {
        return Channels.load(config, JSON, Validators.newValidator());
    }

    /** Opens {@code channel}'s sender the way a worker does. */
    ChannelSender open(HeraldConfiguration config, String channel) throws Exception {
        HttpDelivery http = closing(new HttpDelivery(config.webhook, "test-worker", config.webhook.guard(), HttpDelivery.defaultTls(),
                Duration.ofHours(1), Clock.systemUTC(), new MetricRegistry()));
        Channels.Installed installed = channels(config).find(channel).orElseThrow();
        ChannelSender sender = installed.plugin().open(installed.setup(),
                services(http));
        return closing(sender);
    }

    /** What a worker lends its channels, with registries of the test's own and every rate unshared. */
    static WorkerServices services(io.herald.common.channel.HttpPoster http) {
        return new WorkerServices("test-worker", Clock.systemUTC(), JSON, http, application -> List.of(), new MetricRegistry(),
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), new com.codahale.metrics.health.HealthCheckRegistry(), () -> 1);
    }

    static ChannelMessage message(String channel, String target, String subject, String body, TemplateFormat format) {
        return new OutgoingMessage(42, "app", new Channel(channel), target, subject, body, Priority.MEDIUM, Instant.EPOCH, 1, 0, null,
                format, null, null, null, null);
    }

    static SendResult sent(ChannelSender sender, ChannelMessage m) throws Exception {
        return sender.send(m).get(30, TimeUnit.SECONDS);
    }
}
