package io.herald.worker.core;

import io.herald.common.template.TemplateFormat;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.ChannelSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.model.Channel;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.Priority;
import io.herald.common.queue.DispatchTask;
import io.herald.common.template.TemplateEngine;
import io.herald.common.testing.PrometheusSamples;
import io.herald.common.template.TemplateLimits;
import io.herald.common.webhook.RetrySchedule;
import io.herald.worker.metrics.DeliveryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery pipeline against fakes of its ports: no MySQL, no ZooKeeper, no network. */
class DeliveryPipelineTest {
    private static final int MAX_IN_FLIGHT = 8;

    /** Reserves every id it is given, except those in {@code taken}; records each chunk it was asked for. */
    private final List<List<Long>> chunks = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> taken = new ArrayList<>();
    private volatile SQLException failReservation;
    private final DedupReservations reservations = (ids, lease) -> {
        chunks.add(List.copyOf(ids));
        if (failReservation != null) {
            throw failReservation;
        }
        List<OutgoingMessage> mine = ids.stream().filter(id -> !taken.contains(id)).map(DeliveryPipelineTest::message).toList();
        return new DedupReservations.Reservation(mine, ids.size() - mine.size());
    };
    private final List<Outcome> written = Collections.synchronizedList(new ArrayList<>());
    private final MetricRegistry metrics = new MetricRegistry();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final OutcomeRecorder recorder = new OutcomeRecorder(outcomes -> {
        written.addAll(outcomes);
        return outcomes.size();
    }, "w1", 100, 1, java.time.Clock.systemUTC(), metrics);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        recorder.stop();
    }

    private static OutgoingMessage message(long id) {
        return new OutgoingMessage(id, "billing", Channel.WEBHOOK, "https://example.org/hook", null, "{}", Priority.MEDIUM,
                Instant.parse("2026-11-22T12:00:00Z"), 1, 0, null, TemplateFormat.TEXT, null, null, null, null);
    }

    private DeliveryPipeline pipeline(ChannelSender sender) {
        recorder.start();
        DeliveryPipeline pipeline = new DeliveryPipeline("w1", reservations, Map.of(Channel.WEBHOOK, sender), recorder,
                new MessageRenderer(new ObjectMapper(), new TemplateEngine(TemplateLimits.DEFAULT), Duration.ofSeconds(2), 1, "w1"),
                new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(1), () -> 0.5),
                new ScheduledRetries(new RetrySchedule(List.of(Duration.ofMinutes(1), Duration.ofMinutes(1))), 0, () -> 0.5),
                MAX_IN_FLIGHT, Duration.ofMinutes(1), metrics, new DeliveryMetrics(prometheus));
        toClose.add(pipeline);
        return pipeline;
    }

    private static DispatchTask task(long first, int n) {
        return new DispatchTask(1, LongStream.range(first, first + n).boxed().toList());
    }

    @Test
    void a_task_is_reserved_in_chunks_of_half_the_send_permits_and_every_outcome_is_written_before_it_completes() throws Exception {
        DeliveryPipeline pipeline = pipeline(m -> CompletableFuture.completedFuture(SendResult.SENT));

        pipeline.handle(task(1, 20)).get(10, TimeUnit.SECONDS);

        assertThat(chunks).extracting(List::size).containsExactly(4, 4, 4, 4, 4);
        assertThat(written).hasSize(20).allSatisfy(o -> assertThat(o.status()).isEqualTo(MessageStatus.SENT));
        assertThat(PrometheusSamples.sum(prometheus, "herald_messages", "status", "sent")).isEqualTo(20);
    }

    @Test
    void messages_another_worker_reserved_are_counted_blocked_and_not_sent() throws Exception {
        taken.addAll(List.of(2L, 3L));
        AtomicInteger sends = new AtomicInteger();
        DeliveryPipeline pipeline = pipeline(m -> {
            sends.incrementAndGet();
            return CompletableFuture.completedFuture(SendResult.SENT);
        });

        pipeline.handle(task(1, 4)).get(10, TimeUnit.SECONDS);

        assertThat(sends).hasValue(2);
        assertThat(metrics.meter("herald.messages.blocked_duplicates").getCount()).isEqualTo(2);
        assertThat(written).extracting(Outcome::messageId).containsExactlyInAnyOrder(1L, 4L);
    }

    @Test
    void no_more_than_max_in_flight_sends_are_ever_open_at_once() throws Exception {
        Map<Long, CompletableFuture<SendResult>> open = new ConcurrentHashMap<>();
        DeliveryPipeline pipeline = pipeline(m -> open.computeIfAbsent(m.id(), id -> new CompletableFuture<>()));

        CompletableFuture<Void> done = pipeline.handle(task(1, 30));
        for (int answered = 0; answered < 30; ) {
            await().atMost(Duration.ofSeconds(10)).until(() -> open.values().stream().anyMatch(f -> !f.isDone()));
            assertThat(open.values().stream().filter(f -> !f.isDone()).count()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
            for (CompletableFuture<SendResult> f : open.values()) {
                if (!f.isDone()) {
                    f.complete(SendResult.SENT);
                    answered++;
                }
            }
        }
        done.get(10, TimeUnit.SECONDS);

        assertThat(written).hasSize(30);
    }

    @Test
    void a_transient_failure_with_attempts_left_is_retried_and_a_permanent_one_is_a_dead_letter() throws Exception {
        DeliveryPipeline pipeline = pipeline(m -> CompletableFuture.completedFuture(m.id() == 1
                ? SendResult.transientFailure("webhook answered HTTP 503") : new SendResult.Permanent("webhook answered HTTP 404")));

        pipeline.handle(task(1, 2)).get(10, TimeUnit.SECONDS);

        assertThat(written).extracting(Outcome::messageId, Outcome::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1L, MessageStatus.QUEUED),
                        org.assertj.core.groups.Tuple.tuple(2L, MessageStatus.DEAD));
    }

    @Test
    void a_reservation_that_cannot_be_written_fails_the_task_so_that_it_is_taken_again() {
        failReservation = new SQLTransientConnectionException("pool timeout");
        DeliveryPipeline pipeline = pipeline(m -> CompletableFuture.completedFuture(SendResult.SENT));

        assertThatThrownBy(() -> pipeline.handle(task(1, 4)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(SQLTransientConnectionException.class);
        assertThat(written).isEmpty();
    }
}
