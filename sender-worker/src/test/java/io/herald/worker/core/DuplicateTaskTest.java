package io.herald.worker.core;

import io.herald.common.channel.SendResult;
import io.herald.common.channel.ChannelSender;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.queue.DispatchTask;
import io.herald.common.testing.Rows;
import io.herald.common.channel.ChannelSender;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The dedup key in {@code delivery}, not the queue, is what makes a send happen once. */
class DuplicateTaskTest extends PipelineFixture {
    private final ConcurrentMap<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
    private final ChannelSender countingSender = message -> {
        sends.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
        return CompletableFuture.completedFuture(SendResult.SENT);
    };

    private Worker worker(String id, ChannelSender sender) {
        return worker(id, Map.of(Channel.LOG, sender));
    }

    private List<Long> dispatched(int n) throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), n, "log", "ops");
        testDatabase.database().withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE message SET status = 'dispatched' WHERE id >= ?")) {
                s.setLong(1, first);
                return s.executeUpdate();
            }
        });
        return LongStream.range(first, first + n).boxed().toList();
    }

    @RepeatedTest(3)
    void the_same_task_handled_by_two_workers_at_once_sends_each_message_once() throws Exception {
        List<Long> ids = dispatched(300);
        DispatchTask task = new DispatchTask(1, ids);
        Worker a = worker("a", countingSender);
        Worker b = worker("b", countingSender);

        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> awaitThen(go, () -> a.pipeline().handle(task).join()));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> awaitThen(go, () -> b.pipeline().handle(task).join()));
        go.countDown();
        CompletableFuture.allOf(first, second).get(60, TimeUnit.SECONDS);

        assertThat(sends).hasSize(300);
        assertThat(sends.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        long blocked = a.metrics().meter("herald.messages.blocked_duplicates").getCount()
                + b.metrics().meter("herald.messages.blocked_duplicates").getCount();
        assertThat(blocked).isEqualTo(300);
        assertThat(Rows.statusCounts(testDatabase.database())).containsExactly(Map.entry("sent", 300));
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM delivery")).isEqualTo(300);
        // Each message's trail holds one reservation and one outcome, by whichever worker won it.
        assertThat(Rows.count(testDatabase.database(),
                "SELECT COUNT(DISTINCT message_id) FROM message_event WHERE status = 'sending'")).isEqualTo(300);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event")).isEqualTo(600);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event e JOIN delivery d"
                + " ON d.message_id = e.message_id AND d.worker = e.node")).isEqualTo(600);
    }

    @Test
    void a_task_redelivered_after_its_messages_were_sent_sends_nothing() throws Exception {
        List<Long> ids = dispatched(20);
        Worker a = worker("a", countingSender);
        a.pipeline().handle(new DispatchTask(1, ids)).get(30, TimeUnit.SECONDS);
        Worker b = worker("b", countingSender);
        b.pipeline().handle(new DispatchTask(1, ids)).get(30, TimeUnit.SECONDS);

        assertThat(sends.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(b.metrics().meter("herald.messages.blocked_duplicates").getCount()).isEqualTo(20);
    }

    @Test
    void a_transient_failure_is_retried_with_a_new_attempt_and_a_permanent_failure_is_dead_lettered_with_its_error() throws Exception {
        List<Long> ids = dispatched(2);
        long transientId = ids.get(0);
        ChannelSender flaky = message -> CompletableFuture.completedFuture(message.id() == transientId
                ? SendResult.transientFailure("HTTP 503")
                : new SendResult.Permanent("HTTP 404"));
        Worker a = worker("a", flaky);
        a.pipeline().handle(new DispatchTask(1, ids)).get(30, TimeUnit.SECONDS);

        assertThat(Rows.count(testDatabase.database(),
                "SELECT COUNT(*) FROM message WHERE status = 'queued' AND attempts = 1 AND last_error = 'HTTP 503'"
                        + " AND next_attempt_at > NOW(3) AND id = " + transientId)).isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(),
                "SELECT COUNT(*) FROM message m JOIN dead_letter d ON d.message_id = m.id WHERE m.status = 'dead'"
                        + " AND m.last_error = 'HTTP 404' AND d.application = 'test' AND m.id = " + ids.get(1)))
                .isEqualTo(1);
        assertThat(Rows.events(testDatabase.database(), transientId)).containsExactly("sending@a", "queued@a");
        assertThat(Rows.events(testDatabase.database(), ids.get(1))).containsExactly("sending@a", "dead@a");
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE message_id = " + transientId
                + " AND reason = 'attempt 1 failed, retry in 45000 ms: HTTP 503'")).isEqualTo(1);
        assertThat(a.outcomes("retried")).isEqualTo(1);
        assertThat(a.outcomes("dead_lettered")).isEqualTo(1);
    }

    @Test
    void a_message_that_used_up_its_retries_is_dead_lettered_with_its_last_error() throws Exception {
        List<Long> ids = dispatched(1);
        testDatabase.database().withConnection(c -> c.createStatement().executeUpdate("UPDATE message SET attempts = 2"));
        Worker a = worker("a", message -> CompletableFuture.completedFuture(SendResult.transientFailure("HTTP 502")));
        a.pipeline().handle(new DispatchTask(1, ids)).get(30, TimeUnit.SECONDS);

        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message m JOIN dead_letter d ON d.message_id = m.id"
                + " WHERE m.status = 'dead' AND m.attempts = 3 AND m.last_error = 'gave up after 3 attempt(s): HTTP 502'"))
                .isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event WHERE status = 'dead'"
                + " AND reason = 'attempt 3 failed, dead-lettered: gave up after 3 attempt(s): HTTP 502'")).isEqualTo(1);
    }

    @Test
    void a_templated_message_is_rendered_before_it_is_sent_and_a_render_failure_fails_it_with_the_engines_error() throws Exception {
        List<Long> ids = dispatched(3);
        execute("INSERT INTO template (application, channel, name, subject_template, body_template, body_format)"
                + " VALUES ('test', 'log', 'greeting', 'Hi {{who.name}}', 'You owe {{amount}} & {{#items}}[{{.}}]{{/items}}', 'text')");
        execute("UPDATE message SET subject = NULL, body = NULL, template_name = 'greeting', template_context = "
                + "'{\"who\":{\"name\":\"Ann\"},\"amount\":\"<5>\",\"items\":[1,2]}' WHERE id = " + ids.get(0));
        execute("UPDATE message SET subject = NULL, body = NULL, template_name = 'greeting', template_context = '{\"amount\":1}'"
                + " WHERE id = " + ids.get(1));
        execute("UPDATE message SET subject = NULL, body = NULL, template_name = 'gone', template_context = '{}' WHERE id = " + ids.get(2));
        ConcurrentMap<Long, OutgoingMessage> seen = new ConcurrentHashMap<>();
        Worker a = worker("a", message -> {
            seen.put(message.id(), (OutgoingMessage) message);
            return CompletableFuture.completedFuture(SendResult.SENT);
        });
        a.pipeline().handle(new DispatchTask(1, ids)).get(30, TimeUnit.SECONDS);

        assertThat(seen).containsOnlyKeys(ids.get(0));
        assertThat(seen.get(ids.get(0)).subject()).isEqualTo("Hi Ann");
        assertThat(seen.get(ids.get(0)).body()).isEqualTo("You owe <5> & [1][2]");
        assertThat(seen.get(ids.get(0)).html()).isFalse();
        assertThat(Rows.statusCounts(testDatabase.database())).containsOnly(Map.entry("sent", 1), Map.entry("dead", 2));
        assertThat(lastError(ids.get(1))).startsWith("template: template 'greeting' (log) subject: No method or field with name 'who' on line 1");
        assertThat(lastError(ids.get(2))).isEqualTo("template: template 'gone' (log) no longer exists");
        assertThat(Rows.events(testDatabase.database(), ids.get(1))).containsExactly("sending@a", "dead@a");
        assertThat(a.outcomes("dead_lettered")).isEqualTo(2);
    }

    private String lastError(long id) throws Exception {
        return testDatabase.database().withConnection(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT last_error FROM message WHERE id = " + id)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private static void awaitThen(CountDownLatch go, Runnable work) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        work.run();
    }
}
