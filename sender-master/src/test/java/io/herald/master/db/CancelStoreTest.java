package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.testing.Rows;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CancelStoreTest extends DispatchStoreFixture {
    private MessageStore messages;
    private CancelStore cancels;

    @BeforeEach
    void stores() {
        messages = new MessageStore(database, "master-a");
        cancels = new CancelStore(database, "master-b");
    }

    private static NewMessage message(String cancelKey, Instant sendAt) {
        return new NewMessage("app", Channel.LOG, "ops", null, "body", Priority.MEDIUM, null, null, null, null, sendAt, cancelKey, NewMessage.ANYONE);
    }

    private List<Long> submit(int n, String cancelKey) throws Exception {
        List<NewMessage> batch = IntStream.range(0, n).mapToObj(i -> message(cancelKey, null)).toList();
        return messages.submit(batch, "[%d].", null).stream().map(SubmitResult::id).toList();
    }

    private String status(long id) throws Exception {
        return messages.find("app", id).orElseThrow().status();
    }

    @Test
    void a_queued_or_scheduled_message_is_cancelled_once_and_a_dispatched_one_is_not() throws Exception {
        long queued = submit(1, null).get(0);
        long scheduled = messages.submit(List.of(message(null, Instant.now().plus(Duration.ofDays(1)))), "", null).get(0).id();
        store.acquireFence(1, "leader");
        long dispatched = submit(1, null).get(0);
        execute("UPDATE message SET next_attempt_at = TIMESTAMPADD(HOUR, 1, NOW(3)) WHERE id IN (" + queued + ")");
        assertThat(store.claim(1, "leader", 10, Duration.ofSeconds(30)).messageIds()).containsExactly(dispatched);

        assertThat(cancels.cancel("app", queued).orElseThrow().cancelled()).isTrue();
        assertThat(cancels.cancel("app", scheduled).orElseThrow().cancelled()).isTrue();
        assertThat(cancels.cancel("app", dispatched).orElseThrow().status()).isEqualTo("dispatched");
        // Again: still cancelled, and nothing more is recorded.
        assertThat(cancels.cancel("app", queued).orElseThrow().cancelled()).isTrue();

        assertThat(status(queued)).isEqualTo("cancelled");
        assertThat(status(scheduled)).isEqualTo("cancelled");
        assertThat(status(dispatched)).isEqualTo("dispatched");
        assertThat(Rows.events(database, queued)).containsExactly("queued@master-a", "cancelled@master-b");
        assertThat(messages.events("app", queued).orElseThrow().events().get(1).reason()).contains("cancelled by its application");
        assertThat(cancels.cancel("other", dispatched)).isEmpty();
        assertThat(cancels.cancel("app", 424242)).isEmpty();
    }

    @Test
    void a_cancelled_message_with_a_callback_url_gets_its_callback() throws Exception {
        NewMessage withCallback = new NewMessage("app", Channel.LOG, "ops", null, "body", Priority.MEDIUM, null, null, null,
                "https://example.org/status", null, null, NewMessage.ANYONE);
        long id = messages.submit(List.of(withCallback), "", null).get(0).id();

        cancels.cancel("app", id);

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback WHERE message_id = " + id + " AND status = 'cancelled'"))
                .isEqualTo(1);
    }

    @Test
    void a_cancel_key_cancels_its_queued_messages_in_chunks_byte_for_byte() throws Exception {
        List<Long> keyed = new ArrayList<>(submit(CancelStore.CHUNK * 2 + 7, "campaign-7"));
        List<Long> padded = submit(3, "campaign-7 ");
        List<Long> unkeyed = submit(2, null);
        store.acquireFence(1, "leader");
        execute("UPDATE message SET next_attempt_at = TIMESTAMPADD(HOUR, 1, NOW(3)) WHERE id > " + keyed.get(9));
        List<Long> dispatched = store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds();
        assertThat(dispatched).hasSize(10);

        assertThat(cancels.cancelByKey("app", "campaign-7")).isEqualTo(CancelStore.CHUNK * 2 + 7 - 10);
        assertThat(cancels.cancelByKey("app", "campaign-7")).isZero();
        assertThat(cancels.cancelByKey("other", "campaign-7 ")).isZero();
        assertThat(Rows.statusCounts(database)).containsOnly(Map.entry("dispatched", 10),
                Map.entry("cancelled", CancelStore.CHUNK * 2 + 7 - 10), Map.entry("queued", padded.size() + unkeyed.size()));

        assertThat(cancels.cancelByKey("app", "campaign-7 ")).isEqualTo(padded.size());
        assertThat(status(unkeyed.get(0))).isEqualTo("queued");
    }

    /**
     * A cancel racing the leader's claim: each message ends either dispatched (and was claimed) or cancelled
     * (and the cancel said so), never both, and each has exactly the one change in its audit trail.
     */
    @Test
    void a_cancel_racing_the_claim_either_wins_or_loses_and_never_both() throws Exception {
        store.acquireFence(1, "leader");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Set<Boolean> outcomes = ConcurrentHashMap.newKeySet();
        try {
            for (int round = 0; round < 10; round++) {
                outcomes.addAll(race(threads, submit(60, null), new Random(round)));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(outcomes).as("cancels that won and cancels that lost").containsExactlyInAnyOrder(true, false);
    }

    /** One race over {@code ids}; returns whether cancels won, lost, or both. */
    private Set<Boolean> race(ExecutorService threads, List<Long> ids, Random random) throws Exception {
        List<Long> order = new ArrayList<>(ids);
        Collections.shuffle(order, random);
        CountDownLatch start = new CountDownLatch(1);
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        Future<?> claimer = threads.submit(() -> {
            start.await();
            while (Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'queued'") > 0) {
                claimed.addAll(store.claim(1, "leader", 3, Duration.ofSeconds(30)).messageIds());
            }
            return null;
        });
        Future<Map<Long, Boolean>> canceller = threads.submit(() -> {
            start.await();
            Map<Long, Boolean> won = new ConcurrentHashMap<>();
            for (long id : order) {
                won.put(id, cancels.cancel("app", id).orElseThrow().cancelled());
            }
            return won;
        });
        start.countDown();
        claimer.get(60, TimeUnit.SECONDS);
        Map<Long, Boolean> won = canceller.get(60, TimeUnit.SECONDS);

        for (long id : ids) {
            String status = status(id);
            assertThat(status).as("message %d", id).isIn("dispatched", "cancelled");
            assertThat(won.get(id)).as("cancel of %d said it won", id).isEqualTo(status.equals("cancelled"));
            assertThat(claimed.contains(id)).as("claim of %d", id).isEqualTo(status.equals("dispatched"));
            assertThat(Rows.events(database, id)).as("events of %d", id)
                    .containsExactly("queued@master-a", status + "@" + (won.get(id) ? "master-b" : "leader"));
        }
        return Set.copyOf(won.values());
    }
}
