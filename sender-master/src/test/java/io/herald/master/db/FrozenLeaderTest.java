package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.PolicyConfig;
import io.herald.common.db.Database;
import io.herald.common.testing.Rows;
import io.herald.common.testing.DatabaseExtension;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found by the failover drill (leader-pause): a leader frozen by SIGSTOP inside a fenced transaction
 * held the fence row's shared lock, so no successor could raise the fence until the old leader thawed.
 * Fenced transactions now tell the server to drop their session once it goes silent.
 */
class FrozenLeaderTest {
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(1);

    @RegisterExtension
    final DatabaseExtension scratch = new DatabaseExtension();

    private Database database;

    @BeforeEach
    void setUp() {
        database = scratch.database();
    }

    @Test
    void a_leader_frozen_inside_a_fenced_transaction_loses_its_lock_so_a_successor_can_raise_the_fence() throws Exception {
        assertThat(store().acquireFence(5, "old")).isTrue();

        // The old leader reads the fence under its shared lock, as every fenced transaction does, then freezes.
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch thawed = new CountDownLatch(1);
        CompletableFuture<Void> stale = CompletableFuture.runAsync(() -> {
            try {
                database.inTransaction(c -> {
                    try (PreparedStatement read = c.prepareStatement(
                            "SELECT token FROM leader_fence WHERE name = 'dispatch' LOCK IN SHARE MODE")) {
                        read.executeQuery().close();
                    }
                    frozen.countDown();
                    awaitQuietly(thawed);
                    return null;
                }, SILENCE_LIMIT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(frozen.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> raised = CompletableFuture.supplyAsync(() -> {
            try {
                return store().acquireFence(6, "new");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Well inside InnoDB's 50 s lock wait: only the server dropping the silent session frees the row this soon.
        await().atMost(Duration.ofSeconds(15)).until(raised::isDone);
        assertThat(raised.join()).isTrue();
        assertThat(Rows.count(database, "SELECT token FROM leader_fence WHERE name = 'dispatch'")).isEqualTo(6);

        // When the old leader thaws, its transaction cannot commit: the server has closed its session.
        thawed.countDown();
        await().atMost(Duration.ofSeconds(15)).until(stale::isDone);
        assertThat(stale).isCompletedExceptionally();
    }

    private DispatchStore store() {
        return DispatchStores.standard(database, new PolicyConfig(), SILENCE_LIMIT, new MetricRegistry());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
