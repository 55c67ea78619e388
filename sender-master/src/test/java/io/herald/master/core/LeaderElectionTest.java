package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.PolicyConfig;
import io.herald.common.testing.Rows;
import io.herald.common.zk.ZkPaths;
import io.herald.common.testing.TestDatabase;
import io.herald.master.db.DispatchStore;
import io.herald.master.db.DispatchStores;
import io.herald.master.db.FencedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestingServer zooKeeper;
    private TestDatabase testDatabase;
    private DispatchStore store;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        zooKeeper = new TestingServer(true);
        testDatabase = TestDatabase.create();
        store = DispatchStores.standard(testDatabase.database(), new PolicyConfig(), Duration.ofSeconds(5), new MetricRegistry());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        testDatabase.close();
        zooKeeper.close();
    }

    private CuratorFramework client() {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(zooKeeper.getConnectString())
                .namespace("herald")
                .sessionTimeoutMs(4_000)
                .connectionTimeoutMs(2_000)
                .retryPolicy(new RetryOneTime(100))
                .build();
        client.start();
        toClose.add(client);
        return client;
    }

    private LeaderElection election(String id, CuratorFramework client) throws Exception {
        LeaderElection election = new LeaderElection(client, id, store);
        election.start();
        toClose.add(election::stop);
        return election;
    }

    /** Both masters hold a latch znode: the second is queued behind the first before any fault. */
    private void awaitParticipants(CuratorFramework client, int count) {
        await().atMost(WAIT).until(() -> client.checkExists().forPath(ZkPaths.LEADER) != null
                && client.getChildren().forPath(ZkPaths.LEADER).size() == count);
    }

    @Test
    void exactly_one_master_leads_and_step_down_hands_leadership_to_the_other() throws Exception {
        LeaderElection a = election("a", client());
        await().atMost(WAIT).until(() -> a.currentTerm().isPresent());
        CuratorFramework bClient = client();
        LeaderElection b = election("b", bClient);
        awaitParticipants(bClient, 2);
        await().atMost(WAIT).until(() -> b.leaderId().orElse("").equals("a"));
        assertThat(b.currentTerm()).isEmpty();
        long first = a.currentTerm().orElseThrow().token();

        assertThat(a.stepDown("test")).isTrue();

        await().atMost(WAIT).until(() -> b.currentTerm().isPresent());
        assertThat(a.currentTerm()).isEmpty();
        assertThat(b.currentTerm().orElseThrow().token()).isGreaterThan(first);
        assertThat(b.stepDown("test")).isTrue();
        await().atMost(WAIT).until(() -> a.currentTerm().isPresent());
        assertThat(b.stepDown("not leader")).isFalse();
    }

    @Test
    void a_leader_whose_session_expires_stops_and_its_stale_token_is_refused() throws Exception {
        Rows.insertQueued(testDatabase.database(), 5, "log", "t");
        CuratorFramework oldClient = client();
        LeaderElection old = election("old", oldClient);
        await().atMost(WAIT).until(() -> old.currentTerm().isPresent());
        LeaderElection.Term staleTerm = old.currentTerm().orElseThrow();
        LeaderElection successor = election("successor", client());
        awaitParticipants(oldClient, 2);

        oldClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        await().atMost(WAIT).until(() -> successor.currentTerm().isPresent());
        // The old client learns of the expiry on its own event thread, which may run after the
        // successor's watch fired: wait for it rather than race it. The fence below covers the gap.
        await().atMost(WAIT).until(() -> !staleTerm.isValid());
        long newToken = successor.currentTerm().orElseThrow().token();
        assertThat(newToken).isGreaterThan(staleTerm.token());
        // A paused ex-leader that wakes up with its old term still in hand is shut out by MySQL.
        assertThatThrownBy(() -> store.claim(staleTerm.token(), "old", 5, Duration.ofSeconds(30)))
                .isInstanceOf(FencedOutException.class);
        assertThat(store.claim(newToken, "successor", 5, Duration.ofSeconds(30)).messageIds()).hasSize(5);
    }
}
