package io.herald.worker.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.channel.LocalPacer;
import io.herald.common.channel.Pacer;
import io.herald.common.zk.NodeInfo;
import io.herald.common.zk.NodeRegistration;
import io.herald.common.zk.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workers registered in a real ZooKeeper, each pacing at its share of one rate. */
class WorkerShareTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration RAISE_AFTER = Duration.ofSeconds(25);

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestingServer zooKeeper;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zooKeeper = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        zooKeeper.close();
    }

    @Test
    void a_worker_counts_itself_before_its_registration_and_the_others_as_they_register() throws Exception {
        WorkerShare a = share("worker-a");
        assertThat(a.workers()).isEqualTo(1);

        register("worker-a");
        register("worker-b");
        register("worker-c");

        await().atMost(WAIT).until(a::workers, n -> n == 3);
        WorkerShare late = share("worker-d");
        await().atMost(WAIT).until(late::workers, n -> n == 4);
        assertThat(a.workers()).as("worker-d is not registered yet").isEqualTo(3);
    }

    @Test
    void a_worker_that_leaves_raises_the_others_shares_only_after_the_raise_wait_and_a_return_cancels_it() throws Exception {
        WorkerShare a = share("worker-a");
        register("worker-a");
        NodeRegistration b = register("worker-b");
        NodeRegistration c = register("worker-c");
        await().atMost(WAIT).until(a::workers, n -> n == 3);

        c.stop();
        await().atMost(WAIT).until(a::lastSeen, n -> n == 2);
        now.addAndGet(RAISE_AFTER.toNanos() - 1);
        assertThat(a.workers()).as("still draining, worker-c may be sending").isEqualTo(3);
        now.addAndGet(1);
        assertThat(a.workers()).isEqualTo(2);

        b.stop();
        await().atMost(WAIT).until(a::lastSeen, n -> n == 1);
        register("worker-b");
        await().atMost(WAIT).until(a::lastSeen, n -> n == 2);
        now.addAndGet(RAISE_AFTER.toNanos());
        assertThat(a.workers()).as("worker-b came back before the wait ended").isEqualTo(2);
    }

    @Test
    void three_workers_pacing_one_key_at_their_shares_send_together_within_the_rate() throws Exception {
        List<LocalPacer> pacers = new ArrayList<>();
        for (String id : List.of("worker-a", "worker-b", "worker-c")) {
            WorkerShare share = share(id);
            register(id);
            pacers.add(new LocalPacer(10, share::workers, now::get));
        }
        await().atMost(WAIT).until(() -> pacers.stream().allMatch(p -> p.interval().equals(Duration.ofMillis(300))));

        // Ten simulated seconds in steps of 1 ms; every worker sends whenever its pacer grants a slot at once.
        int sent = 0;
        for (int ms = 0; ms < 10_000; ms++) {
            for (LocalPacer pacer : pacers) {
                if (pacer.reserve("+15550001111", Duration.ZERO).equals(Pacer.Slot.NOW)) {
                    sent++;
                }
            }
            now.addAndGet(1_000_000);
        }

        // 10/s for 10 s, plus the first slot each worker grants at once; a worker pacing at the whole rate alone
        // would make this about 300.
        assertThat(sent).isBetween(99, 100 + 3);
    }

    private WorkerShare share(String id) throws Exception {
        WorkerShare share = new WorkerShare(client(), id, RAISE_AFTER, now::get);
        share.start();
        toClose.add(share::stop);
        return share;
    }

    private NodeRegistration register(String id) throws Exception {
        NodeRegistration registration = new NodeRegistration(client(), ZkPaths.WORKERS,
                new NodeInfo(id, "worker", "http://127.0.0.1:1", "http://127.0.0.1:2"), new ObjectMapper());
        registration.start();
        toClose.add(registration::stop);
        await().atMost(WAIT).until(() -> client().checkExists().forPath(ZkPaths.child(ZkPaths.WORKERS, id)) != null);
        return registration;
    }

    private CuratorFramework client;

    private CuratorFramework client() {
        if (client == null) {
            client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString()).namespace("herald")
                    .sessionTimeoutMs(4_000).connectionTimeoutMs(2_000).retryPolicy(new RetryOneTime(100)).build();
            client.start();
            toClose.add(client);
        }
        return client;
    }
}
