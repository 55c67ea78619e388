package io.herald.worker.channel;

import io.dropwizard.lifecycle.Managed;
import io.herald.common.zk.ZkPaths;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many workers share a provider's rate: the live workers registered under {@link ZkPaths#WORKERS},
 * this one counted even before its own registration appears. Each worker paces at 1/N of a provider's
 * rate, so all of them together stay within it (docs/CHANNELS.md, "Pace").
 *
 * <p>Guarantees and failure modes:
 * <ul>
 * <li>A worker that joins lowers everyone's share as soon as each sees it (a ZooKeeper watch, milliseconds);
 *     the joiner itself counts the workers already there before it sends.</li>
 * <li>A worker that leaves raises the others' shares only {@code raiseAfter} later: a worker removes its
 *     registration first at shutdown and then drains, still sending, for up to that long. A crashed worker's
 *     registration stays until its ZooKeeper session expires, so meanwhile the others pace low: the combined
 *     rate errs low, never high.</li>
 * <li>Cut off from ZooKeeper, a worker keeps the last count it saw.</li>
 * </ul>
 */
public final class WorkerShare implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerShare.class);

    private final String workerId;
    private final long raiseAfterNanos;
    private final LongSupplier nanoTime;
    private final CuratorCache cache;
    /** The count paced by; only {@link #seen} and {@link #workers} change it, under this object's lock. */
    private volatile int inForce = 1;
    /** The latest count seen, lower than {@link #inForce} while a raise waits. */
    private int latest = 1;
    /** Whether a raise to {@link #latest} waits, due at {@link #raiseAt}. */
    private volatile boolean raising;
    private volatile long raiseAt;

    public WorkerShare(CuratorFramework curator, String workerId, Duration raiseAfter, LongSupplier nanoTime) {
        this.workerId = workerId;
        this.raiseAfterNanos = raiseAfter.toNanos();
        this.nanoTime = nanoTime;
        this.cache = CuratorCache.build(curator, ZkPaths.WORKERS);
        cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(this::recount).forAll((type, before, after) -> recount()).build());
    }

    @Override
    public void start() {
        cache.start();
    }

    @Override
    public void stop() {
        cache.close();
    }

    /** The number of workers this one shares each provider's rate with, itself included: at least 1. */
    public int workers() {
        if (raising && nanoTime.getAsLong() - raiseAt >= 0) {
            synchronized (this) {
                if (raising && nanoTime.getAsLong() - raiseAt >= 0) {
                    LOG.info("[{}] providers' rates now shared by {} worker(s), was {}", workerId, latest, inForce);
                    inForce = latest;
                    raising = false;
                }
            }
        }
        return inForce;
    }

    /** The latest count seen, for tests. */
    synchronized int lastSeen() {
        return latest;
    }

    private void recount() {
        Set<String> ids = new HashSet<>();
        String prefix = ZkPaths.WORKERS + "/";
        cache.stream().map(data -> data.getPath()).filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
                .forEach(p -> ids.add(p.substring(prefix.length())));
        ids.add(workerId);
        seen(ids.size());
    }

    /** A new count of live workers: a higher one applies at once, a lower one after {@code raiseAfter}. */
    synchronized void seen(int workers) {
        latest = workers;
        if (workers >= inForce) {
            if (workers > inForce) {
                LOG.info("[{}] providers' rates now shared by {} worker(s), was {}", workerId, workers, inForce);
            }
            inForce = workers;
            raising = false;
        } else {
            // Every further departure restarts the wait: the last to leave may still be draining.
            raiseAt = nanoTime.getAsLong() + raiseAfterNanos;
            raising = true;
        }
    }
}
