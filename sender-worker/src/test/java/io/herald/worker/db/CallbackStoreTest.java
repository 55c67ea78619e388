package io.herald.worker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.common.callback.Callbacks;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import io.herald.worker.callback.CallbackLeases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Callbacks are queued once per final status, leased by one worker at a time, and a lapsed lease loses. */
class CallbackStoreTest {
    private TestDatabase testDatabase;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        execute("INSERT INTO application (name, signing_secret) VALUES ('test', 'hs_test')");
    }

    @AfterEach
    void tearDown() throws Exception {
        testDatabase.close();
    }

    private void execute(String sql) throws Exception {
        testDatabase.database().withConnection(c -> c.createStatement().executeUpdate(sql));
    }

    /** {@code n} finished messages with a callback URL; returns their ids. */
    private List<Long> finished(int n, String status) throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), n, "log", "ops");
        execute("UPDATE message SET status = '" + status + "', attempts = 1, callback_url = 'http://127.0.0.1:1/cb' WHERE id >= " + first);
        return LongStream.range(first, first + n).boxed().toList();
    }

    private void enqueue(List<Long> ids) throws Exception {
        testDatabase.database().inTransaction(c -> {
            Callbacks.enqueue(c, ids);
            return null;
        });
    }

    @Test
    void a_callback_is_queued_once_per_final_status_and_only_for_messages_that_asked_for_one() throws Exception {
        List<Long> sent = finished(3, "sent");
        long queued = Rows.insertQueued(testDatabase.database(), 1, "log", "ops");
        execute("UPDATE message SET callback_url = 'http://127.0.0.1:1/cb' WHERE id = " + queued);
        long noUrl = Rows.insertQueued(testDatabase.database(), 1, "log", "ops");
        execute("UPDATE message SET status = 'sent' WHERE id = " + noUrl);
        List<Long> all = new ArrayList<>(sent);
        all.add(queued);
        all.add(noUrl);

        enqueue(all);
        enqueue(all);

        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback")).isEqualTo(3);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback WHERE status = 'sent' AND state = 'pending'"
                + " AND message_attempts = 1")).isEqualTo(3);
        // Requeued and finished again: a second report.
        execute("UPDATE message SET status = 'dead', attempts = 2, last_error = 'HTTP 410' WHERE id = " + sent.get(0));
        enqueue(List.of(sent.get(0)));
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback WHERE message_id = " + sent.get(0)
                + " AND status = 'dead' AND error = 'HTTP 410' AND message_attempts = 2")).isEqualTo(1);
    }

    @Test
    void two_workers_leasing_at_once_take_disjoint_callbacks_and_together_all_of_them() throws Exception {
        enqueue(finished(200, "sent"));
        CallbackStore a = new CallbackStore(testDatabase.database(), "worker-a");
        CallbackStore b = new CallbackStore(testDatabase.database(), "worker-b");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Set<Long>>> leases = new ArrayList<>();
        for (CallbackStore store : List.of(a, b)) {
            leases.add(CompletableFuture.supplyAsync(() -> leaseAll(store, go)));
        }
        go.countDown();
        Set<Long> first = leases.get(0).join();
        Set<Long> second = leases.get(1).join();

        assertThat(first).doesNotContainAnyElementsOf(second);
        assertThat(first.size() + second.size()).isEqualTo(200);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback WHERE attempts = 1")).isEqualTo(200);
    }

    private static List<CallbackLeases.Due> leaseOrNothing(CallbackStore store) {
        try {
            return store.lease(10, Duration.ofMinutes(1));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<Long> leaseAll(CallbackStore store, CountDownLatch go) {
        Set<Long> ids = new HashSet<>();
        try {
            go.await();
            List<CallbackLeases.Due> batch;
            do {
                batch = store.lease(7, Duration.ofMinutes(1));
                batch.forEach(d -> ids.add(d.id()));
            } while (!batch.isEmpty());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    @Test
    void a_lease_carries_what_the_callback_needs_and_a_lapsed_leases_late_outcome_changes_nothing() throws Exception {
        long id = finished(1, "sent").get(0);
        enqueue(List.of(id));
        CallbackStore a = new CallbackStore(testDatabase.database(), "worker-a");
        CallbackStore b = new CallbackStore(testDatabase.database(), "worker-b");

        CallbackLeases.Due first = a.lease(10, Duration.ofMillis(1)).get(0);
        assertThat(first.messageId()).isEqualTo(id);
        assertThat(first.application()).isEqualTo("test");
        assertThat(first.url()).isEqualTo("http://127.0.0.1:1/cb");
        assertThat(first.attempt()).isEqualTo(1);
        // The 1 ms lease has lapsed: worker b takes the callback over as attempt 2.
        AtomicReference<List<CallbackLeases.Due>> retaken = new AtomicReference<>(List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> !retaken.updateAndGet(x -> leaseOrNothing(b)).isEmpty());
        CallbackLeases.Due second = retaken.get().get(0);

        assertThat(second.attempt()).isEqualTo(2);
        assertThat(a.delivered(first)).isFalse();
        assertThat(b.retry(second, "HTTP 500", Duration.ofMinutes(5))).isTrue();
        assertThat(b.lease(10, Duration.ofMinutes(1))).isEmpty();
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback WHERE state = 'pending' AND attempts = 2"
                + " AND last_error = 'HTTP 500' AND next_attempt_at > NOW(3) + INTERVAL 4 MINUTE")).isEqualTo(1);
        assertThat(Rows.events(testDatabase.database(), id)).containsExactly("sent@worker-b");
    }
}
