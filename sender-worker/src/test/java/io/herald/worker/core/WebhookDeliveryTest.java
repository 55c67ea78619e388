package io.herald.worker.core;

import io.herald.common.channel.SendResult;
import io.herald.common.channel.ChannelSender;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.config.WebhookConfig;
import io.herald.common.model.Channel;
import io.herald.common.queue.DispatchTask;
import io.herald.common.testing.Rows;
import io.herald.common.webhook.WebhookSignature;
import io.herald.common.channel.builtin.WebhookSender;
import io.herald.worker.db.SigningSecrets;
import io.herald.worker.http.HttpDelivery;
import io.herald.worker.http.Receiver;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks through the whole worker pipeline, real Jetty receivers and the real database. */
class WebhookDeliveryTest extends PipelineFixture {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEW_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void application() throws Exception {
        execute("INSERT INTO application (name, signing_secret) VALUES ('test', '" + SECRET + "')");
    }

    @AfterEach
    void closeReceivers() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private Receiver receiver(Receiver.Behaviour behaviour) throws Exception {
        Receiver receiver = Receiver.http(behaviour);
        closing.add(receiver);
        return receiver;
    }

    /** A worker whose webhooks go out through a real client; a one-minute retry schedule (the fixture's). */
    private Worker webhookWorker(Consumer<WebhookConfig> tune) {
        WebhookConfig config = new WebhookConfig();
        config.requestTimeout = io.dropwizard.util.Duration.seconds(5);
        config.maxQueueWait = io.dropwizard.util.Duration.minutes(1); // no hand-backs for a slow answer on a loaded machine
        tune.accept(config);
        HttpDelivery http = new HttpDelivery(config, "w", a -> true, HttpDelivery.defaultTls(), Duration.ofMinutes(1),
                Clock.systemUTC(), new MetricRegistry());
        closing.add(http);
        SigningSecrets secrets = new SigningSecrets(testDatabase.database(), Duration.ofMillis(1), System::nanoTime);
        return worker("w", Map.of(Channel.WEBHOOK, new WebhookSender(http, secrets, new ObjectMapper(), Clock.systemUTC())));
    }

    private List<Long> dispatched(int n, String url) throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), n, "webhook", url);
        execute("UPDATE message SET status = 'dispatched' WHERE id >= " + first + " AND id < " + (first + n));
        return LongStream.range(first, first + n).boxed().toList();
    }

    private void handle(Worker worker, List<Long> ids) throws Exception {
        worker.pipeline().handle(new DispatchTask(1, ids)).get(60, TimeUnit.SECONDS);
    }

    private long count(String where) throws Exception {
        return Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message WHERE " + where);
    }

    @Test
    void a_webhook_answering_410_is_a_dead_letter_and_goes_on_the_suppression_list_with_it() throws Exception {
        Receiver gone = receiver(Receiver.status(410, Map.of(), "unsubscribed"));
        Receiver notFound = receiver(Receiver.status(404, Map.of(), ""));
        Worker worker = webhookWorker(c -> {});
        List<Long> toGone = dispatched(1, gone.url());
        List<Long> toNotFound = dispatched(1, notFound.url());

        handle(worker, List.of(toGone.get(0), toNotFound.get(0)));

        assertThat(count("status = 'dead' AND id IN (" + toGone.get(0) + ", " + toNotFound.get(0) + ")")).isEqualTo(2);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM suppression WHERE application = 'test'"
                + " AND channel = 'webhook' AND target = '" + gone.url() + "' AND source = 'webhook' AND message_id = " + toGone.get(0)
                + " AND reason LIKE 'webhook answered HTTP 410%' AND expires_at IS NULL")).isEqualTo(1);
        // A 404 may be a deployment in progress: a dead letter, but the target is not given up on.
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM suppression")).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM application_policy WHERE application = 'test'"
                + " AND has_suppressions = 1")).isEqualTo(1);
    }

    @Test
    void a_huge_retry_after_in_seconds_or_as_a_date_among_normal_receivers_never_stops_the_outcome_writer() throws Exception {
        Receiver normal = receiver(Receiver.ok());
        Receiver seconds = receiver(Receiver.status(429, Map.of("Retry-After", "10000000000"), ""));
        Receiver date = receiver(Receiver.status(429, Map.of("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"), ""));
        Worker worker = webhookWorker(c -> {});
        List<Long> ids = new ArrayList<>();
        ids.addAll(dispatched(10, normal.url()));
        ids.addAll(dispatched(5, seconds.url()));
        ids.addAll(dispatched(5, date.url()));
        ids.addAll(dispatched(10, normal.url()));

        handle(worker, ids);

        assertThat(count("status = 'sent'")).isEqualTo(20);
        // Retry-After is capped at the schedule's longest step (one minute here), not 317 years.
        assertThat(count("status = 'queued' AND next_attempt_at BETWEEN NOW(3) + INTERVAL 50 SECOND AND NOW(3) + INTERVAL 70 SECOND"))
                .isEqualTo(10);
        // And the writer goes on recording everyone's outcomes.
        handle(worker, dispatched(10, normal.url()));
        assertThat(count("status = 'sent'")).isEqualTo(30);
    }

    @Test
    void an_attempt_whose_answer_was_lost_is_recorded_as_ambiguous_and_one_never_sent_is_not() throws Exception {
        Receiver stalled = receiver(Receiver.stalledBody());
        Worker worker = webhookWorker(c -> {
            c.requestTimeout = io.dropwizard.util.Duration.milliseconds(300);
            c.unsentRetries = 1;
        });
        long lost = dispatched(1, stalled.url()).get(0);
        long refused = dispatched(1, "http://127.0.0.1:1/hook").get(0);

        handle(worker, List.of(lost, refused));

        assertThat(count("id = " + lost + " AND status = 'queued' AND attempts = 1 AND ambiguous_attempts = 1")).isEqualTo(1);
        assertThat(count("id = " + refused + " AND status = 'queued' AND attempts = 1 AND ambiguous_attempts = 0")).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE message_id = " + lost
                + " AND reason LIKE 'attempt 1 failed, retry in % ms: request sent, answer lost: TimeoutException%'")).isEqualTo(1);
    }

    @Test
    void a_paused_destination_hands_its_messages_back_without_spending_their_attempts() throws Exception {
        Receiver failing = receiver(Receiver.status(503, Map.of(), "down"));
        Worker worker = webhookWorker(c -> {
            c.pauseAfterFailures = 3;
            c.pauseDuration = io.dropwizard.util.Duration.minutes(5);
            c.initialLimitPerDestination = 1;
        });
        handle(worker, dispatched(3, failing.url()));
        List<Long> later = dispatched(4, failing.url());

        handle(worker, later);

        assertThat(failing.received()).hasSize(3);
        String ids = later.toString().replace("[", "(").replace("]", ")");
        assertThat(count("id IN " + ids + " AND status = 'queued' AND attempts = 1 AND retry_base = 1"
                + " AND next_attempt_at > NOW(3) + INTERVAL 4 MINUTE")).isEqualTo(4);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE message_id IN " + ids
                + " AND reason LIKE 'attempt 1 not made: destination % paused after 3 consecutive failures; due again in % ms, no attempt spent'"))
                .isEqualTo(4);
    }

    @Test
    void an_applications_own_retry_schedule_sets_the_wait_and_the_number_of_attempts() throws Exception {
        Receiver failing = receiver(Receiver.status(503, Map.of(), "down"));
        execute("INSERT INTO application_policy (application, retry_schedule) VALUES ('test', '7m')");
        Worker worker = webhookWorker(c -> {});
        long id = dispatched(1, failing.url()).get(0);

        handle(worker, List.of(id));
        assertThat(count("id = " + id + " AND status = 'queued' AND next_attempt_at BETWEEN NOW(3) + INTERVAL 6 MINUTE"
                + " AND NOW(3) + INTERVAL 8 MINUTE")).isEqualTo(1);
        execute("UPDATE message SET status = 'dispatched' WHERE id = " + id);
        handle(worker, List.of(id));

        // Two attempts: the first, and one after the schedule's only step.
        assertThat(count("id = " + id + " AND status = 'dead' AND attempts = 2 AND last_error LIKE 'gave up after 2 attempt(s)%'"))
                .isEqualTo(1);
    }

    @Test
    void every_webhook_is_signed_and_during_a_rotation_both_secrets_sign_until_the_grace_period_ends() throws Exception {
        Receiver verifying = receiver((request, body, response, callback) -> {
            boolean valid = WebhookSignature.verify(SECRET, request.getHeaders().get("webhook-id"),
                    Long.parseLong(request.getHeaders().get("webhook-timestamp")), body, request.getHeaders().get("webhook-signature"),
                    System.currentTimeMillis() / 1000, 300);
            response.setStatus(valid ? 204 : 401);
            response.write(true, ByteBuffer.allocate(0), callback);
        });
        Worker worker = webhookWorker(c -> {});
        long first = dispatched(1, verifying.url()).get(0);
        handle(worker, List.of(first));
        assertThat(count("id = " + first + " AND status = 'sent'")).isEqualTo(1);
        Receiver.Received signed = verifying.received().get(0);
        assertThat(signed.headers().get("webhook-id")).isEqualTo("herald-" + first).isEqualTo(signed.headers().get("Idempotency-Key"));
        assertThat(signed.headers().get("webhook-signature")).startsWith("v1,").doesNotContain(" ");

        execute("UPDATE application SET previous_secret = signing_secret, signing_secret = '" + NEW_SECRET + "',"
                + " previous_secret_until = NOW(3) + INTERVAL 1 HOUR WHERE name = 'test'");
        handle(worker, dispatched(1, verifying.url()));
        Receiver.Received rotating = verifying.received().get(1);
        String[] signatures = rotating.headers().get("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2);
        long timestamp = Long.parseLong(rotating.headers().get("webhook-timestamp"));
        String id = rotating.headers().get("webhook-id");
        assertThat(signatures[0]).isEqualTo(WebhookSignature.sign(NEW_SECRET, id, timestamp, rotating.body()));
        assertThat(signatures[1]).isEqualTo(WebhookSignature.sign(SECRET, id, timestamp, rotating.body()));
        assertThat(count("status = 'sent'")).isEqualTo(2); // the receiver still on the old secret accepted it

        execute("UPDATE application SET previous_secret_until = NOW(3) - INTERVAL 1 SECOND WHERE name = 'test'");
        long after = dispatched(1, verifying.url()).get(0);
        handle(worker, List.of(after));
        assertThat(verifying.received().get(2).headers().get("webhook-signature")).doesNotContain(" ");
        // The grace period is over: a receiver that only knows the old secret refuses it.
        assertThat(count("id = " + after + " AND status = 'dead' AND last_error LIKE 'webhook answered HTTP 401%'")).isEqualTo(1);
    }
}
