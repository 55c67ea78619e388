package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.testing.Rows;
import io.herald.master.api.FanoutCancellation;
import io.herald.master.api.FanoutResult;
import io.herald.master.api.FanoutView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewMessage;
import io.herald.master.api.Subscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fan-outs against the real database: chunks under the fence, the cursor across leaders, keys, counts, fairness. */
class FanoutChunksTest extends DispatchStoreFixture {
    private Topics topics;
    private FanoutStore fanouts;
    private FanoutChunks chunks;
    private FanoutCancels cancels;

    @BeforeEach
    void setUp() throws Exception {
        topics = new Topics(database);
        fanouts = new FanoutStore(database);
        chunks = new FanoutChunks(store);
        cancels = new FanoutCancels(database, new CancelStore(database, "m1"));
        store.acquireFence(1, "leader-1");
    }

    private void subscribe(String application, String topic, int n) throws Exception {
        topics.put(application, topic, null);
        List<Subscriber> chunk = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunk.add(new Subscriber(Channel.LOG, topic + "-reader-" + i, null));
            if (chunk.size() == 500 || i == n - 1) {
                topics.add(application, topic, chunk);
                chunk.clear();
            }
        }
    }

    private static NewMessage message(String application, String key) {
        return new NewMessage(application, Channel.LOG, null, null, "news", Priority.MEDIUM, key, null, null, null, null, null,
                new NewMessage.Audience(null, "news", false));
    }

    @Test
    void a_dry_run_to_a_topic_makes_every_subscriber_s_message_a_dry_run() throws Exception {
        subscribe("news", "daily", 3);
        subscribe("news", "weekly", 2);
        NewMessage m = message("news", null);
        NewMessage dry = new NewMessage(m.application(), m.channel(), null, null, "news", Priority.MEDIUM, null, null, null, null, null,
                null, m.audience(), true);
        fanouts.submit(dry, "daily", null);
        fanouts.submit(m, "weekly", null);

        while (chunks.createNext(1, "leader-1", 0, 1_000).isPresent()) {
            // until every fan-out has made its messages
        }

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE dry_run = 1 AND target LIKE 'daily-reader-%'")).isEqualTo(3);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE dry_run = 0 AND target LIKE 'weekly-reader-%'")).isEqualTo(2);
    }

    @Test
    void a_fan_out_creates_one_queued_message_per_subscriber_in_chunks_and_then_reports_sending() throws Exception {
        subscribe("news", "daily", 2_500);
        FanoutResult result = fanouts.submit(message("news", null), "daily", null);
        assertThat(result.total()).isEqualTo(2_500);
        assertThat(result.state()).isEqualTo("creating");

        assertThat(chunks.createNext(1, "leader-1", 0, 1_000)).contains(new FanoutWriter.Chunk(result.fanoutId(), 1_000, false));
        assertThat(chunks.createNext(1, "leader-1", 0, 1_000)).contains(new FanoutWriter.Chunk(result.fanoutId(), 1_000, false));
        assertThat(chunks.createNext(1, "leader-1", 0, 1_000)).contains(new FanoutWriter.Chunk(result.fanoutId(), 500, true));
        assertThat(chunks.createNext(1, "leader-1", 0, 1_000)).isEmpty();

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE application = 'news' AND status = 'queued'")).isEqualTo(2_500);
        assertThat(Rows.count(database, "SELECT COUNT(DISTINCT target) FROM message")).isEqualTo(2_500);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE category = 'news' AND body = 'news'")).isEqualTo(2_500);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE reason LIKE 'fanned out from fan-out %'")).isEqualTo(2_500);
        FanoutView view = fanouts.find("news", result.fanoutId()).orElseThrow();
        assertThat(view.state()).isEqualTo("sending");
        assertThat(view.created()).isEqualTo(2_500);
        assertThat(view.total()).isEqualTo(2_500);
        assertThat(fanouts.find("other", result.fanoutId())).isEmpty();
    }

    @Test
    void a_new_leader_resumes_at_the_cursor_and_a_fenced_out_leader_writes_nothing() throws Exception {
        subscribe("news", "daily", 2_200);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);

        assertThat(store.acquireFence(2, "leader-2")).isTrue();
        assertThatThrownBy(() -> chunks.createNext(1, "leader-1", 0, 1_000)).isInstanceOf(FencedOutException.class);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isEqualTo(1_000);

        assertThat(chunks.createNext(2, "leader-2", 0, 1_000).orElseThrow().created()).isEqualTo(1_000);
        assertThat(chunks.createNext(2, "leader-2", 0, 1_000).orElseThrow()).isEqualTo(new FanoutWriter.Chunk(id, 200, true));
        assertThat(Rows.count(database, "SELECT COUNT(DISTINCT target) FROM message")).isEqualTo(2_200);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isEqualTo(2_200);
    }

    @Test
    void the_reserved_key_refuses_a_second_message_for_the_same_subscriber() throws Exception {
        subscribe("news", "daily", 10);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);
        // As if the cursor had not moved: the unique key still refuses the chunk, and the rollback leaves one message each.
        execute("UPDATE fanout SET state = 'creating', last_subscriber_id = 0 WHERE id = " + id);
        assertThatThrownBy(() -> chunks.createNext(1, "leader-1", 0, 1_000)).isInstanceOf(java.sql.SQLException.class);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isEqualTo(10);
    }

    @Test
    void the_idempotency_key_covers_the_whole_fan_out() throws Exception {
        subscribe("news", "daily", 3);
        FanoutResult first = fanouts.submit(message("news", "edition-42"), "daily", null);
        FanoutResult again = fanouts.submit(message("news", "edition-42"), "daily", null);
        assertThat(again.fanoutId()).isEqualTo(first.fanoutId());
        assertThat(again.duplicate()).isTrue();
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM fanout")).isEqualTo(1);

        topics.put("news", "weekly", null);
        assertThatThrownBy(() -> fanouts.submit(message("news", "edition-42"), "weekly", null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errors().get(0).field()).isEqualTo("idempotencyKey");
                });
        assertThatThrownBy(() -> fanouts.submit(message("news", null), "missing", null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("topic"));
    }

    @Test
    void counts_come_from_the_messages_and_the_fan_out_is_done_when_all_are_final() throws Exception {
        subscribe("news", "daily", 4);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);
        List<Long> ids = new ArrayList<>();
        database.withConnection(c -> {
            try (var s = c.prepareStatement("SELECT id FROM message ORDER BY id"); var rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return null;
        });
        execute("UPDATE message SET status = 'sent' WHERE id IN (" + ids.get(0) + ", " + ids.get(1) + ")");
        execute("UPDATE message SET status = 'opted_out' WHERE id = " + ids.get(2));
        FanoutView running = fanouts.find("news", id).orElseThrow();
        assertThat(running.sent()).isEqualTo(2);
        assertThat(running.suppressed()).isEqualTo(1);
        assertThat(running.state()).isEqualTo("sending");

        execute("UPDATE message SET status = 'dead' WHERE id = " + ids.get(3));
        execute("UPDATE fanout SET counted_at = NULL WHERE id = " + id);
        FanoutView done = fanouts.find("news", id).orElseThrow();
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.dead()).isEqualTo(1);
        assertThat(done.sent() + done.suppressed() + done.dead()).isEqualTo(done.total());
    }

    @Test
    void subscribers_removed_before_their_turn_leave_the_total_and_an_empty_topic_is_done_at_once() throws Exception {
        subscribe("news", "daily", 5);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        topics.remove("news", "daily", List.of(new Subscriber(Channel.LOG, "daily-reader-4", null)));
        chunks.createNext(1, "leader-1", 0, 1_000);
        assertThat(fanouts.find("news", id).orElseThrow().total()).isEqualTo(4);

        topics.put("news", "empty", null);
        assertThat(fanouts.submit(message("news", null), "empty", null).state()).isEqualTo("done");
    }

    @Test
    void a_fan_out_to_20000_subscribers_does_not_hold_back_another_applications_single_message() throws Exception {
        subscribe("flood", "everyone", 20_000);
        fanouts.submit(message("flood", null), "everyone", null);
        for (int i = 0; i < 10; i++) {
            chunks.createNext(1, "leader-1", 0, 1_000);
        }
        long single = Rows.insertQueued(database, "small", 2, 1, "log", "t");
        for (int i = 0; i < 10; i++) {
            chunks.createNext(1, "leader-1", 0, 1_000);
        }
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE application = 'flood' AND status = 'queued'")).isEqualTo(20_000);

        List<Long> batch = store.claim(1, "leader-1", 1_000, Duration.ofMinutes(5)).messageIds();

        System.out.printf("fairness: a fan-out queued 20,000 messages for 'flood'; the first claim of 1,000 took 'small''s one message"
                + " and %,d of the fan-out's%n", batch.size() - 1);
        assertThat(batch).contains(single).hasSize(1_000);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE id = " + single + " AND status = 'dispatched'")).isEqualTo(1);
    }

    @Test
    void fan_outs_take_turns_so_a_big_one_does_not_hold_back_a_small_one() throws Exception {
        subscribe("flood", "everyone", 5_000);
        subscribe("small", "team", 3);
        long big = fanouts.submit(message("flood", null), "everyone", null).fanoutId();
        long small = fanouts.submit(message("small", null), "team", null).fanoutId();

        FanoutWriter.Chunk first = chunks.createNext(1, "leader-1", 0, 1_000).orElseThrow();
        FanoutWriter.Chunk second = chunks.createNext(1, "leader-1", first.fanoutId(), 1_000).orElseThrow();

        assertThat(first).isEqualTo(new FanoutWriter.Chunk(big, 1_000, false));
        assertThat(second).isEqualTo(new FanoutWriter.Chunk(small, 3, true));
        assertThat(chunks.createNext(1, "leader-1", small, 1_000)).isEmpty();
    }

    @Test
    void quotas_count_each_created_message_and_the_fan_out_reports_the_rejected_ones() throws Exception {
        execute("INSERT INTO application_policy (application, quota_hard, quota_window_ms) VALUES ('capped', 5, 60000)");
        subscribe("capped", "all", 8);
        long id = fanouts.submit(message("capped", null), "all", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);

        assertThat(store.claim(1, "leader-1", 1_000, Duration.ofMinutes(5)).messageIds()).hasSize(5);

        FanoutView view = fanouts.find("capped", id).orElseThrow();
        assertThat(view.rejected()).isEqualTo(3);
        assertThat(view.total()).isEqualTo(8);
    }

    @Test
    void a_scheduled_fan_out_creates_its_messages_at_once_due_at_its_send_at() throws Exception {
        subscribe("news", "later", 3);
        java.time.Instant sendAt = java.time.Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        NewMessage m = message("news", null);
        long id = fanouts.submit(new NewMessage(m.application(), m.channel(), null, null, m.body(), m.priority(), null, null, null, null,
                sendAt, "later-key", m.audience()), "later", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE send_at = next_attempt_at AND cancel_key IS NOT NULL"
                + " AND UNIX_TIMESTAMP(send_at) * 1000 = " + sendAt.toEpochMilli())).isEqualTo(3);
        assertThat(store.claim(1, "leader-1", 1_000, Duration.ofMinutes(5)).messageIds()).as("not due yet").isEmpty();
        assertThat(fanouts.find("news", id).orElseThrow().state()).isEqualTo("sending");
    }

    @Test
    void cancelling_a_creating_fan_out_stops_its_chunks_and_cancels_the_messages_no_worker_holds() throws Exception {
        subscribe("news", "daily", 2_500);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);
        chunks.createNext(1, "leader-1", 0, 1_000);
        assertThat(store.claim(1, "leader-1", 100, LEASE).messageIds()).hasSize(100);

        FanoutCancellation cancelled = cancels.cancel("news", id).orElseThrow();

        assertThat(cancelled).isEqualTo(new FanoutCancellation(id, "cancelled", 2_000, 1_900, 100));
        assertThat(chunks.createNext(1, "leader-1", 0, 1_000)).as("no further chunk").isEmpty();
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isEqualTo(2_000);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'dispatched'")).isEqualTo(100);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE status = 'cancelled'"
                + " AND reason = 'cancelled by its application with its fan-out (DELETE /v1/fanouts/" + id + ")'")).isEqualTo(1_900);
        FanoutView view = fanouts.find("news", id).orElseThrow();
        assertThat(view.state()).isEqualTo("cancelled");
        assertThat(view.total()).isEqualTo(2_000);
        assertThat(view.cancelled()).isEqualTo(1_900);

        assertThat(cancels.cancel("news", id)).as("again: nothing left to cancel")
                .contains(new FanoutCancellation(id, "cancelled", 2_000, 0, 2_000));
    }

    @Test
    void a_chunk_that_waits_behind_a_cancel_finds_the_fan_out_cancelled_and_creates_nothing() throws Exception {
        subscribe("news", "daily", 50);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        try (java.sql.Connection stop = database.connection()) {
            stop.setAutoCommit(false);
            // The cancel's first transaction, held open: the fan-out is locked through its state index and cancelled.
            try (var lock = stop.prepareStatement("SELECT id FROM fanout FORCE INDEX (ix_fanout_state) WHERE state = 'creating' AND id = "
                    + id + " FOR UPDATE"); var update = stop.prepareStatement("UPDATE fanout SET state = 'cancelled' WHERE id = " + id)) {
                lock.executeQuery().close();
                update.executeUpdate();
            }
            java.util.concurrent.CompletableFuture<Optional<FanoutWriter.Chunk>> chunk = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return chunks.createNext(1, "leader-1", 0, 1_000);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    Rows.count(database, "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'") > 0);
            stop.commit();
            assertThat(chunk.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isZero();
    }

    @Test
    void cancelling_a_done_fan_out_keeps_it_done_and_cancels_a_message_queued_again() throws Exception {
        subscribe("news", "daily", 3);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);
        execute("UPDATE message SET status = 'sent'");
        assertThat(fanouts.find("news", id).orElseThrow().state()).isEqualTo("done");
        execute("UPDATE message SET status = 'queued' WHERE id = (SELECT MIN(id) FROM (SELECT id FROM message) m)"); // a requeued dead letter

        assertThat(cancels.cancel("news", id)).contains(new FanoutCancellation(id, "done", 3, 1, 2));
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'cancelled'")).isEqualTo(1);
        assertThat(fanouts.find("news", id).orElseThrow().state()).isEqualTo("done");
    }

    @Test
    void another_applications_fan_out_or_an_unknown_one_cannot_be_cancelled() throws Exception {
        subscribe("news", "daily", 3);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);

        assertThat(cancels.cancel("other", id)).isEmpty();
        assertThat(cancels.cancel("news", id + 1)).isEmpty();
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'queued'")).isEqualTo(3);
        assertThat(fanouts.find("news", id).orElseThrow().state()).isEqualTo("sending");
    }

    @Test
    void a_cancel_caught_in_a_deadlock_with_the_count_that_ends_the_fan_out_is_retried() throws Exception {
        subscribe("news", "daily", 3);
        long id = fanouts.submit(message("news", null), "daily", null).fanoutId();
        chunks.createNext(1, "leader-1", 0, 1_000);
        try (java.sql.Connection count = database.connection()) {
            count.setAutoCommit(false);
            // The count's order: the row by primary key first, then its state (and so the state index). It has written
            // more than the cancel when they meet, so the database rolls the cancel back, which must then try again.
            try (var heavier = count.prepareStatement("UPDATE topic_subscriber SET created_at = NOW(3)");
                    var touch = count.prepareStatement("UPDATE fanout SET counted_at = NOW(3) WHERE id = " + id)) {
                heavier.executeUpdate();
                touch.executeUpdate();
            }
            java.util.concurrent.CompletableFuture<Optional<FanoutCancellation>> cancel = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return cancels.cancel("news", id);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    Rows.count(database, "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'") > 0);
            try (var done = count.prepareStatement("UPDATE fanout SET state = 'done' WHERE id = " + id)) {
                done.executeUpdate();
            }
            count.commit();
            FanoutCancellation result = cancel.get(30, java.util.concurrent.TimeUnit.SECONDS).orElseThrow();
            assertThat(result.state()).as("the retry found it done").isEqualTo("done");
            assertThat(result.cancelled()).isEqualTo(3);
        }
    }
}
