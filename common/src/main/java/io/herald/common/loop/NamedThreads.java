package io.herald.common.loop;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named executors, for continuations that block (a ZooKeeper transaction, a JDBC call, a render) and so must
 * not run on whichever thread completed a future. Threads are daemons named {@code <name>-<nodeId>}, so a
 * thread dump says whose they are.
 */
public final class NamedThreads {
    private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);

    private NamedThreads() {}

    /** Daemon threads named {@code <name>-<nodeId>}. */
    public static ThreadFactory daemon(String name, String nodeId) {
        return r -> {
            Thread t = new Thread(r, name + "-" + nodeId);
            t.setDaemon(true);
            return t;
        };
    }

    /** A pool of {@code threads} daemon threads named {@code <name>-<nodeId>}. */
    public static ExecutorService pool(String name, String nodeId, int threads) {
        return Executors.newFixedThreadPool(threads, daemon(name, nodeId));
    }

    /** Lets the queued work finish for at most {@code bound}, then warns; restores the interrupt flag if interrupted. */
    public static void shutdown(ExecutorService executor, String name, String nodeId, Duration bound) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("[{}] {} still busy after {} ms; its daemon threads end with the process", nodeId, name, bound.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
