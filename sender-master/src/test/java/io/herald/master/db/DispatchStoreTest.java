package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.testing.Rows;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchStoreTest extends DispatchStoreFixture {
    @Test
    void a_fenced_ex_leader_cannot_claim_after_a_newer_leader_took_the_fence() throws Exception {
        Rows.insertQueued(database, 10, "log", "t");
        assertThat(store.acquireFence(5, "old")).isTrue();
        assertThat(store.claim(5, "old", 4, Duration.ofSeconds(30)).messageIds()).hasSize(4);

        assertThat(store.acquireFence(7, "new")).isTrue();

        assertThatThrownBy(() -> store.claim(5, "old", 4, Duration.ofSeconds(30)))
                .isInstanceOf(FencedOutException.class)
                .hasMessageContaining("own token 5, database holds 7");
        assertThat(Rows.statusCounts(database)).containsEntry("dispatched", 4).containsEntry("queued", 6);
        // The refused claim rolled back with its audit events.
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE status = 'dispatched'")).isEqualTo(4);
        assertThat(metrics.counter("herald.master.fenced_writes_refused").getCount()).isEqualTo(1);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM fence_event WHERE token = 5 AND accepted = 0")).isEqualTo(1);
    }

    @Test
    void a_fenced_ex_leader_cannot_expire_leases() throws Exception {
        store.acquireFence(5, "old");
        store.acquireFence(6, "new");
        assertThatThrownBy(() -> store.reap(5, "old", 100)).isInstanceOf(FencedOutException.class);
    }

    @Test
    void the_fence_never_goes_backwards() throws Exception {
        assertThat(store.acquireFence(9, "a")).isTrue();
        assertThat(store.acquireFence(3, "b")).isFalse();
        assertThat(store.acquireFence(9, "a")).isTrue();
        assertThat(Rows.count(database, "SELECT token FROM leader_fence WHERE name = 'dispatch'")).isEqualTo(9);
    }

    @Test
    void claims_urgent_first_in_the_batch_with_a_share_for_medium_and_never_more_than_the_limit() throws Exception {
        long first = Rows.insertQueued(database, 6, "log", "t");
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE message SET priority = 0 WHERE id >= ?")) {
                s.setLong(1, first + 3);
                return s.executeUpdate();
            }
        });
        store.acquireFence(1, "leader");
        // Shares 8:2 of 4 slots: 3 urgent and 1 medium (see FairShare), urgent first.
        List<Long> claimed = store.claim(1, "leader", 4, Duration.ofSeconds(30)).messageIds();
        assertThat(claimed).containsExactly(first + 3, first + 4, first + 5, first);
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(first + 1, first + 2);
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).isEmpty();
    }

    @Test
    void a_paused_cluster_claims_nothing_until_resumed() throws Exception {
        Rows.insertQueued(database, 3, "log", "t");
        store.acquireFence(1, "leader");
        store.setPaused(true);
        DispatchStore.Claim paused = store.claim(1, "leader", 10, Duration.ofSeconds(30));
        assertThat(paused.paused()).isTrue();
        assertThat(paused.messageIds()).isEmpty();
        store.setPaused(false);
        assertThat(store.claim(1, "leader", 10, Duration.ofSeconds(30)).messageIds()).hasSize(3);
    }

    @Test
    void expired_dispatch_goes_back_to_queued_and_an_expired_send_becomes_unknown() throws Exception {
        long first = Rows.insertQueued(database, 2, "log", "t");
        store.acquireFence(1, "leader");
        store.claim(1, "leader", 2, Duration.ofMinutes(1));
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE message SET next_attempt_at = TIMESTAMPADD(SECOND, -1, NOW(3)),"
                            + " status = IF(id = ?, 'sending', status)")) {
                s.setLong(1, first + 1);
                return s.executeUpdate();
            }
        });
        DispatchStore.Reaped reaped = store.reap(1, "leader", 100);
        assertThat(reaped.requeued()).isEqualTo(1);
        assertThat(reaped.unknown()).isEqualTo(1);
        assertThat(Rows.statusCounts(database)).containsEntry("queued", 1).containsEntry("unknown", 1);
        assertThat(Rows.events(database, first)).containsExactly("dispatched@leader", "queued@leader");
        assertThat(Rows.events(database, first + 1)).containsExactly("dispatched@leader", "unknown@leader");
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE message_id = " + (first + 1)
                + " AND reason LIKE 'send outcome unknown%' AND created_at <= NOW(3)")).isEqualTo(1);
    }

    @Test
    void a_reap_with_nothing_expired_records_nothing() throws Exception {
        Rows.insertQueued(database, 3, "log", "t");
        store.acquireFence(1, "leader");
        store.claim(1, "leader", 3, Duration.ofMinutes(1));
        assertThat(store.reap(1, "leader", 100)).isEqualTo(new DispatchStore.Reaped(0, 0));
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event")).isEqualTo(3);
    }
}
