package io.herald.master.core;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.master.db.ClaimStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Each application's dispatch rate over the last minute, measured by the leader from its own fenced
 * claims and written every {@code master.dispatchRateInterval} for every master to read ({@code dispatch_rate};
 * README, "Queue position"). A rate is the messages its claims dispatched in the window divided by the
 * time measured: a minute, or less just after this master began to lead. The claim pays one map update
 * per application in its batch, in memory; the write is this loop's, off the claim's path.
 */
public final class DispatchRates {
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** Where the rates go: replaces every application's row (a {@code DispatchRateStore}; a fake in unit tests). */
    @FunctionalInterface
    public interface Sink {
        void replace(Map<String, Double> perSecond) throws SQLException;
    }

    /** What the claims dispatched from {@code start} to the next bucket's start. */
    private record Bucket(Instant start, Map<String, Integer> dispatched) {}

    private final Sink sink;
    private final BooleanSupplier leading;
    private final Clock clock;
    private final Duration interval;
    private final LoopRunner loop;
    private final Deque<Bucket> buckets = new ArrayDeque<>();
    /** Counts since the last pass; the dispatcher's thread adds, this loop's takes (both under this lock). */
    private Map<String, Integer> current = new HashMap<>();
    /** This master's last pass while leading, where the open bucket starts; null while it does not lead. */
    private Instant lastPass;

    public DispatchRates(String nodeId, Sink sink, BooleanSupplier leading, Duration interval, Clock clock, MetricRegistry metrics) {
        this.sink = sink;
        this.leading = leading;
        this.clock = clock;
        this.interval = interval;
        this.loop = new LoopRunner("dispatch-rates", nodeId, clock, metrics.counter("herald.master.dispatch_rate_errors"),
                new LoopRunner.Backoff(interval, interval), this::runOnce);
    }

    /** {@code store}, with every claim it makes counted here by application. */
    public ClaimStore counting(ClaimStore store) {
        return (token, holder, limit, lease) -> {
            ClaimStore.Claim claim = store.claim(token, holder, limit, lease);
            add(claim.perApplication());
            return claim;
        };
    }

    private synchronized void add(Map<String, Integer> dispatched) {
        dispatched.forEach((application, n) -> current.merge(application, n, Integer::sum));
    }

    private synchronized Map<String, Integer> take() {
        Map<String, Integer> taken = current;
        current = new HashMap<>();
        return taken;
    }

    /** One pass: while leading, closes the counts since the last pass and writes the window's rates. */
    public Duration runOnce() throws SQLException {
        Instant now = clock.instant();
        if (!leading.getAsBoolean()) {
            // A new term measures afresh: counts from an earlier term would credit a rate to a gap.
            lastPass = null;
            buckets.clear();
            take();
            return interval;
        }
        if (lastPass == null) {
            lastPass = now;
            take();
            return interval;
        }
        buckets.addLast(new Bucket(lastPass, take()));
        lastPass = now;
        Instant windowStart = now.minus(WINDOW);
        while (buckets.size() > 1 && buckets.peekFirst().start().isBefore(windowStart)) {
            buckets.removeFirst();
        }
        double seconds = Math.max(1e-3, Duration.between(buckets.peekFirst().start(), now).toMillis() / 1e3);
        Map<String, Double> perSecond = new HashMap<>();
        buckets.forEach(b -> b.dispatched().forEach((application, n) -> perSecond.merge(application, n / seconds, Double::sum)));
        sink.replace(perSecond);
        return interval;
    }

    public LoopRunner loop() {
        return loop;
    }
}
