package io.herald.worker.core;

import io.herald.common.channel.SendResult;
import io.herald.common.channel.ChannelSender;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.queue.DispatchTask;
import io.herald.common.testing.Rows;
import io.herald.common.channel.ChannelSender;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The worker's side of digests and fallback, against the real database. */
class PolicyDeliveryTest extends PipelineFixture {
    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();

    private ChannelSender answering(Function<OutgoingMessage, SendResult> answer) {
        return m -> {
            sent.add((OutgoingMessage) m);
            return CompletableFuture.completedFuture(answer.apply((OutgoingMessage) m));
        };
    }

    /** A digest holding {@code members} messages, dispatched as the leader leaves it; returns its id. */
    private long dispatchedDigest(int members) throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), "alerts", 2, members, "webhook", "https://example.org/a");
        long digest = Rows.insertQueued(testDatabase.database(), "alerts", 1, 1, "webhook", "https://example.org/a");
        execute("UPDATE message SET status = 'digested', digest_id = " + digest + " WHERE id >= " + first + " AND id < " + digest);
        execute("UPDATE message SET status = 'dispatched', is_digest = 1, subject = NULL, body = '' WHERE id = " + digest);
        return digest;
    }

    @Test
    void a_digest_lists_its_messages_in_one_send_and_they_are_all_marked_sent_with_a_reference_to_it() throws Exception {
        long digest = dispatchedDigest(4);
        Worker worker = worker("w", Map.of(Channel.WEBHOOK, answering(m -> SendResult.SENT)));

        worker.pipeline().handle(new DispatchTask(1, List.of(digest))).get(30, TimeUnit.SECONDS);
        // The same task again (a redelivery) sends nothing more.
        worker.pipeline().handle(new DispatchTask(1, List.of(digest))).get(30, TimeUnit.SECONDS);

        assertThat(sent).hasSize(1);
        OutgoingMessage m = sent.get(0);
        assertThat(m.isDigest()).isTrue();
        assertThat(m.digest()).hasSize(4);
        assertThat(m.subject()).isEqualTo("4 messages from alerts");
        assertThat(m.body()).contains("--- message " + m.digest().get(0).id(), "body 3");
        assertThat(count("status = 'sent' AND sent_at IS NOT NULL AND digest_id = " + digest)).isEqualTo(4);
        assertThat(count("status = 'sent' AND id = " + digest)).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE status = 'sent'"
                + " AND reason = 'sent in digest " + digest + "'")).isEqualTo(4);
    }

    @Test
    void a_dry_run_is_reserved_and_recorded_sent_but_given_to_no_channel() throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), "alerts", 2, 2, "webhook", "https://example.org/a");
        execute("UPDATE message SET status = 'dispatched'");
        execute("UPDATE message SET dry_run = 1 WHERE id = " + first);
        Worker worker = worker("w", Map.of(Channel.WEBHOOK, answering(m -> SendResult.SENT)));

        worker.pipeline().handle(new DispatchTask(1, List.of(first, first + 1))).get(30, TimeUnit.SECONDS);

        assertThat(sent).extracting(OutgoingMessage::id).containsExactly(first + 1);
        assertThat(count("status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL AND last_error IS NULL")).isEqualTo(2);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE message_id = " + first
                + " AND status = 'sent' AND reason = 'attempt 1 dry run: nothing left the worker'")).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM delivery")).as("both reserved").isEqualTo(2);
    }

    @Test
    void a_digest_that_fails_for_good_makes_its_messages_dead_letters_with_the_reason() throws Exception {
        long digest = dispatchedDigest(2);
        Worker worker = worker("w", Map.of(Channel.WEBHOOK, answering(m -> new SendResult.Permanent("webhook answered HTTP 410"))));

        worker.pipeline().handle(new DispatchTask(1, List.of(digest))).get(30, TimeUnit.SECONDS);

        assertThat(count("status = 'dead' AND last_error = 'digest " + digest + " failed: webhook answered HTTP 410'"
                + " AND digest_id = " + digest)).isEqualTo(2);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM dead_letter")).as("the digest and its two").isEqualTo(3);
    }

    @Test
    void a_held_message_that_asked_for_a_callback_is_reported_when_its_digest_finishes() throws Exception {
        long digest = dispatchedDigest(3);
        execute("UPDATE message SET callback_url = 'https://example.org/cb' WHERE digest_id = " + digest + " AND id = " + (digest - 1));
        Worker worker = worker("w", Map.of(Channel.WEBHOOK, answering(m -> SendResult.SENT)));

        worker.pipeline().handle(new DispatchTask(1, List.of(digest))).get(30, TimeUnit.SECONDS);

        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback WHERE status = 'sent' AND state = 'pending'"
                + " AND message_id = " + (digest - 1))).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback")).isEqualTo(1);
    }

    @Test
    void a_permanent_failure_goes_to_the_fallback_once_and_the_audit_trail_says_so() throws Exception {
        execute("INSERT INTO application_policy (application, fallback_channel, fallback_target) VALUES ('hooks', 'log', 'ops-desk')");
        long id = Rows.insertQueued(testDatabase.database(), "hooks", 2, 1, "webhook", "https://example.org/gone");
        execute("UPDATE message SET status = 'dispatched' WHERE id = " + id);
        Worker worker = worker("w", Map.of(
                Channel.WEBHOOK, answering(m -> new SendResult.Permanent("webhook answered HTTP 410")),
                Channel.LOG, answering(m -> new SendResult.Permanent("log refused"))));

        worker.pipeline().handle(new DispatchTask(1, List.of(id))).get(30, TimeUnit.SECONDS);

        assertThat(count("id = " + id + " AND status = 'queued' AND channel = 'log' AND target = 'ops-desk'"
                + " AND original_channel = 'webhook' AND original_target = 'https://example.org/gone'"
                + " AND retry_base = 1 AND last_error = 'webhook answered HTTP 410'")).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE message_id = " + id
                + " AND status = 'queued' AND reason = 'attempt 1 failed for good: webhook answered HTTP 410;"
                + " fallback: queued on log to ops-desk'")).isEqualTo(1);
        assertThat(worker.outcomes("fell_back")).isEqualTo(1);

        // On the fallback it fails for good too: now it is a dead letter, with no second fallback.
        execute("UPDATE message SET status = 'dispatched' WHERE id = " + id);
        worker.pipeline().handle(new DispatchTask(1, List.of(id))).get(30, TimeUnit.SECONDS);

        assertThat(sent).extracting(OutgoingMessage::channel).containsExactly(Channel.WEBHOOK, Channel.LOG);
        assertThat(count("id = " + id + " AND status = 'dead' AND channel = 'log' AND last_error = 'log refused'")).isEqualTo(1);
        assertThat(Rows.events(testDatabase.database(), id)).containsExactly("sending@w", "queued@w", "sending@w", "dead@w");
    }

    @Test
    void retries_used_up_also_go_to_the_fallback() throws Exception {
        execute("INSERT INTO application_policy (application, fallback_channel, fallback_target) VALUES ('hooks', 'log', 'ops-desk')");
        long id = Rows.insertQueued(testDatabase.database(), "hooks", 2, 1, "webhook", "https://example.org/down");
        execute("UPDATE message SET status = 'dispatched', attempts = 2 WHERE id = " + id);
        Worker worker = worker("w", Map.of(Channel.WEBHOOK, answering(m -> SendResult.transientFailure("webhook answered HTTP 503"))));

        worker.pipeline().handle(new DispatchTask(1, List.of(id))).get(30, TimeUnit.SECONDS);

        assertThat(count("id = " + id + " AND status = 'queued' AND channel = 'log' AND retry_base = 3"
                + " AND last_error = 'gave up after 3 attempt(s): webhook answered HTTP 503'")).isEqualTo(1);
    }

    private long count(String where) throws Exception {
        return Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message WHERE " + where);
    }
}
