package io.herald.master.core;

import io.dropwizard.lifecycle.Managed;
import io.herald.common.zk.ZkPaths;
import io.herald.master.db.DispatchStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among masters with Curator's {@link LeaderLatch}, and the fencing token that goes
 * with it.
 *
 * <p>A master leads only while it holds a {@link Term}: it won the latch, its connection is neither
 * SUSPENDED nor LOST, and the database accepted its token. The token is the sequence number of the
 * latch znode that won ({@link LeaderLatch#getLastPathIsLeader()}); ZooKeeper hands out sequence numbers
 * in increasing order, so a later leader always holds a larger token. On SUSPENDED the term ends at
 * once, before Curator decides whether the session survives; after RECONNECTED the latch re-enters the
 * election with a new znode, and so a new token.
 *
 * <p>Failure modes: a process paused past its session timeout still believes it holds its term until
 * it runs again; the fence in MySQL, not this class, refuses its writes. {@link #stepDown} gives up
 * leadership by closing the latch and joining again with a fresh one.
 */
public final class LeaderElection implements Managed, Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private enum State { LATENT, STARTED, CLOSED }

    /** One period of leadership. Valid until the election ends it. */
    private final class LatchTerm implements Term {
        private final long token;
        private final LeaderLatch latch;

        LatchTerm(long token, LeaderLatch latch) {
            this.token = token;
            this.latch = latch;
        }

        @Override
        public long token() {
            return token;
        }

        @Override
        public boolean isValid() {
            return current.get() == this && latch.hasLeadership();
        }
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CuratorFramework curator;
    private final String nodeId;
    private final DispatchStore fence;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Term> current = new AtomicReference<>();
    // Latch callbacks and step-downs run here, one at a time, never on Curator's event thread.
    private final ExecutorService events;
    private final ConnectionStateListener connectionListener = this::onConnectionChange;
    private volatile LeaderLatch latch;

    public LeaderElection(CuratorFramework curator, String nodeId, DispatchStore fence) {
        this.curator = curator;
        this.nodeId = nodeId;
        this.fence = fence;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "election-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code listener} whenever a term begins or ends. */
    @Override
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void start() throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("election for " + nodeId + " cannot be started more than once");
        }
        curator.getConnectionStateListenable().addListener(connectionListener);
        joinElection();
    }

    private void joinElection() throws Exception {
        LeaderLatch fresh = new LeaderLatch(curator, ZkPaths.LEADER, nodeId, LeaderLatch.CloseMode.SILENT);
        fresh.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                events.execute(() -> beginTerm(fresh));
            }

            @Override
            public void notLeader() {
                events.execute(() -> endTerm("lost the latch"));
            }
        });
        latch = fresh;
        fresh.start();
    }

    private void beginTerm(LeaderLatch won) {
        if (won != latch || !won.hasLeadership() || state.get() != State.STARTED) {
            return;
        }
        long token = tokenOf(won.getLastPathIsLeader());
        try {
            if (fence.acquireFence(token, nodeId)) {
                current.set(new LatchTerm(token, won));
                LOG.info("[{}] leading with fencing token {}", nodeId, token);
                notifyListeners();
            } else {
                LOG.warn("[{}] won the latch but the database holds a newer token than {}; stepping down", nodeId, token);
                rejoin();
            }
        } catch (Exception e) {
            LOG.warn("[{}] could not record fencing token {}; stepping down", nodeId, token, e);
            rejoin();
        }
    }

    private void endTerm(String reason) {
        Term ended = current.getAndSet(null);
        if (ended != null) {
            LOG.info("[{}] no longer leading (token {}): {}", nodeId, ended.token(), reason);
            notifyListeners();
        }
    }

    private void onConnectionChange(CuratorFramework client, ConnectionState newState) {
        // The connection state thread ends the term itself, without queueing behind other events:
        // a dispatcher must stop at SUSPENDED, not when the session is finally declared LOST.
        if (newState == ConnectionState.SUSPENDED || newState == ConnectionState.LOST) {
            endTerm("ZooKeeper connection " + newState);
        }
    }

    /** Gives up leadership if this node holds it; another master takes over. */
    @Override
    public boolean stepDown(String reason) {
        if (current.get() == null) {
            return false;
        }
        events.execute(() -> {
            endTerm(reason);
            rejoin();
        });
        return true;
    }

    private void rejoin() {
        if (state.get() != State.STARTED) {
            return;
        }
        try {
            latch.close();
            joinElection();
        } catch (IOException e) {
            LOG.warn("[{}] could not leave the election cleanly", nodeId, e);
        } catch (Exception e) {
            LOG.error("[{}] could not join the election again", nodeId, e);
        }
    }

    @Override
    public Optional<Term> currentTerm() {
        Term term = current.get();
        return term != null && term.isValid() ? Optional.of(term) : Optional.empty();
    }

    public String role() {
        return currentTerm().isPresent() ? "leader" : "standby";
    }

    /** The id of the master ZooKeeper currently considers leader, if any. */
    public Optional<String> leaderId() {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() ? Optional.of(leader.getId()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static long tokenOf(String latchPath) {
        if (latchPath == null) {
            throw new IllegalStateException("the latch reported leadership without a path");
        }
        int i = latchPath.length();
        while (i > 0 && Character.isDigit(latchPath.charAt(i - 1))) {
            i--;
        }
        if (i == latchPath.length()) {
            throw new IllegalStateException("latch path has no sequence number: " + latchPath);
        }
        return Long.parseLong(latchPath.substring(i));
    }

    private void notifyListeners() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void stop() throws Exception {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        curator.getConnectionStateListenable().removeListener(connectionListener);
        endTerm("shutting down");
        events.shutdown();
        if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("[{}] election events did not finish within 5 s", nodeId);
        }
        // Closing the latch deletes its znode: the next master takes over in one watch notification.
        latch.close();
    }
}
