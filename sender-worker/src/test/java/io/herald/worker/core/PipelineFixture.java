package io.herald.worker.core;

import io.herald.common.channel.SendResult;
import io.herald.common.channel.ChannelSender;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.testing.PrometheusSamples;
import io.herald.worker.metrics.DeliveryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.template.TemplateEngine;
import io.herald.common.template.TemplateLimits;
import io.herald.common.model.Channel;
import io.herald.common.testing.TestDatabase;
import io.herald.common.webhook.RetrySchedule;
import io.herald.common.channel.ChannelSender;
import io.herald.worker.db.OutcomeStore;
import io.herald.worker.db.ReservationStore;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh database per test, and workers' pipelines on it with the channels a test gives them. */
abstract class PipelineFixture {
    protected TestDatabase testDatabase;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void createDatabase() throws Exception {
        testDatabase = TestDatabase.create();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        testDatabase.close();
    }

    protected record Worker(DeliveryPipeline pipeline, MetricRegistry metrics, PrometheusRegistry prometheus) {
        /** Attempts counted in herald_messages_total with this status, over every channel. */
        long outcomes(String status) {
            return (long) PrometheusSamples.sum(prometheus, "herald_messages", "status", status);
        }
    }

    /** A worker with 3 attempts per message (webhooks too), a minute between them, and 64 sends in flight. */
    protected Worker worker(String id, Map<Channel, ChannelSender> senders) {
        MetricRegistry metrics = new MetricRegistry();
        PrometheusRegistry prometheus = new PrometheusRegistry();
        OutcomeRecorder recorder = new OutcomeRecorder(new OutcomeStore(testDatabase.database(), id, null), id, 100, 5,
                java.time.Clock.systemUTC(), metrics);
        recorder.start();
        toClose.add(recorder::stop);
        DeliveryPipeline pipeline = new DeliveryPipeline(id, new ReservationStore(testDatabase.database(), id), senders, recorder,
                new MessageRenderer(new ObjectMapper(), new TemplateEngine(TemplateLimits.DEFAULT), Duration.ofSeconds(2), 2, id),
                new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(1), () -> 0.5),
                new ScheduledRetries(new RetrySchedule(List.of(Duration.ofMinutes(1), Duration.ofMinutes(1))), 0, () -> 0.5), 64,
                Duration.ofMinutes(1), metrics, new DeliveryMetrics(prometheus));
        toClose.add(pipeline);
        return new Worker(pipeline, metrics, prometheus);
    }

    protected void execute(String sql) throws Exception {
        testDatabase.database().withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                return s.executeUpdate();
            }
        });
    }
}
