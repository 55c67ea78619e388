package io.herald.tools.bench;

import io.herald.tools.cluster.ScratchDatabase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The load of the drain and steady modes, through the batch API of the one master: drain enqueues
 * everything with dispatch paused and times delivery from resume to the last arrival; steady offers a
 * fixed rate for a fixed time. Each measures its window (CPU, flight recording, database work per message).
 */
record LocalLoad(Bench bench, BenchOptions options, ScratchDatabase database, Deliveries deliveries) {
    private static final int BATCH = 1_000;

    /** Enqueue everything with dispatch paused, then time delivery from resume to the last arrival. */
    Map<String, Object> drain(Targets targets, IntSupplier delivered) throws Exception {
        if (options.warmup > 0) {
            Bench.progress("warm-up (not measured): %,d messages", options.warmup);
            Map<String, Object> warm = drainPhase(targets, options.warmup, 0, delivered, null);
            Bench.progress("warm-up drained at %,.0f/s", (double) warm.get("messagesPerSecond"));
        }
        int warmHealthy = options.warmup - (int) targets.toSlow();
        Map<String, Object> result = drainPhase(targets, options.messages, warmHealthy, delivered, bench.timeline("Herald"));
        long accepted = (long) options.messages + options.warmup;
        if (options.quick) {
            // The guard budgets work per message, but the leader's time-driven reads (the gauges' capped
            // counts every 15 s, the console's samples) cost rows per interval: one that
            // lands in a two-second window reads as thousands of rows per message. A second window shows
            // which: a cost per message is in both, a job's in one at most.
            Bench.progress("a second window for the guard's database figures");
            long deliveredBefore = warmHealthy + (long) result.get("measuredMessages");
            Map<String, Object> second = drainPhase(targets, options.messages, (int) deliveredBefore, delivered, null);
            accepted += options.messages;
            result.putAll(DatabaseWindow.lowerOf(result, second));
        }
        result.put("accepted", accepted);
        return result;
    }

    private Map<String, Object> drainPhase(Targets targets, int total, int alreadyDelivered, IntSupplier delivered, Timeline timeline)
            throws Exception {
        bench.cluster().post(bench.admin() + "/tasks/pause-dispatch", "", bench.cluster().adminToken());
        Bench.progress("enqueueing %,d messages through the batch API (dispatch paused)", total);
        long slowBefore = targets.toSlow();
        long enqueueStart = System.nanoTime();
        enqueue(targets, total, 4, () -> "0");
        double enqueueSeconds = Bench.seconds(System.nanoTime() - enqueueStart);
        int healthy = total - (int) (targets.toSlow() - slowBefore);
        Bench.progress("enqueued %,d in %.1f s (%,.0f/s); resuming dispatch", total, enqueueSeconds, total / enqueueSeconds);

        try (DatabaseWindow db = new DatabaseWindow(database)) {
            IntSupplier deliveredNow = () -> delivered.getAsInt() - alreadyDelivered;
            if (timeline != null) {
                bench.figures().measuredWindowStarts();
            }
            long start = System.nanoTime();
            ScheduledFuture<?> sampling = timeline == null ? null : sampleTimeline(timeline, start, deliveredNow);
            bench.cluster().post(bench.admin() + "/tasks/resume-dispatch", "", bench.cluster().adminToken());
            long end = DeliveryWait.await(healthy, deliveredNow, start, 50);
            deliveries.awaitOutcomesRecorded(alreadyDelivered + healthy);
            if (sampling != null) {
                sampling.cancel(false);
                bench.figures().measuredWindowEnds();
            }
            double seconds = Bench.seconds(end - start);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("measuredMessages", (long) deliveredNow.getAsInt());
            result.put("enqueuePerSecond", Bench.round(total / enqueueSeconds));
            result.put("deliverySeconds", Bench.round(seconds));
            result.put("messagesPerSecond", Bench.round(deliveredNow.getAsInt() / seconds));
            result.putAll(db.figures(deliveredNow.getAsInt()));
            return result;
        }
    }

    private ScheduledFuture<?> sampleTimeline(Timeline timeline, long start, IntSupplier delivered) {
        return bench.sampler().scheduleAtFixedRate(() -> timeline.record(System.nanoTime() - start, delivered.getAsInt()),
                0, 500, TimeUnit.MILLISECONDS);
    }

    /** A fixed offered rate for a fixed time; latency runs from each message's scheduled send time to its arrival. */
    Map<String, Object> steady(Targets targets, IntSupplier delivered) throws Exception {
        long warmAccepted = 0;
        if (options.warmup > 0) {
            Bench.progress("warm-up (not measured): %d s of the same load", options.warmup);
            warmAccepted = (long) offer(targets, delivered, options.warmup, 0, null).get("accepted");
            bench.latency().reset();
        }
        int warmHealthy = (int) (warmAccepted - targets.toSlow());
        Map<String, Object> result = offer(targets, delivered, options.durationSeconds, warmHealthy, bench.timeline("Herald"));
        result.put("accepted", (long) result.get("accepted") + warmAccepted);
        return result;
    }

    private Map<String, Object> offer(Targets targets, IntSupplier deliveredSoFar, int durationSeconds, int alreadyDelivered,
            Timeline timeline) throws Exception {
        IntSupplier delivered = () -> deliveredSoFar.getAsInt() - alreadyDelivered;
        int perTick = Math.max(1, options.rate / 100);
        int ticks = durationSeconds * 100;
        Bench.progress("offering %,d messages/s for %d s (%d every 10 ms)", perTick * 100, durationSeconds, perTick);
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long slowBefore = targets.toSlow();
        try (DatabaseWindow db = new DatabaseWindow(database)) {
            if (timeline != null) {
                bench.figures().measuredWindowStarts();
            }
            long start = System.nanoTime();
            SendSchedule schedule = new SendSchedule(FastReceiver.nowMicros(), 10_000);
            ScheduledFuture<?> sampling = timeline == null ? null : sampleTimeline(timeline, start, delivered);
            List<ScheduledFuture<?>> scheduled = new ArrayList<>();
            for (int t = 0; t < ticks; t++) {
                String due = Long.toString(schedule.dueMicros(t));
                scheduled.add(ticker.schedule(() -> {
                    try {
                        HttpResponse<String> r = bench.post("/v1/messages/batch", batch(targets, perTick, () -> due));
                        if (r.statusCode() == 202) {
                            accepted.addAndGet(perTick);
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }, t * 10L, TimeUnit.MILLISECONDS));
            }
            long offeredEnd = start + TimeUnit.SECONDS.toNanos(durationSeconds);
            while (System.nanoTime() < offeredEnd) {
                Thread.sleep(1_000);
                Bench.progress("%5.1f s  accepted %,d  delivered %,d", Bench.seconds(System.nanoTime() - start), accepted.get(), delivered.getAsInt());
            }
            for (var f : scheduled) {
                f.get();
            }
            ticker.shutdown();
            int healthy = (int) (accepted.get() - (targets.toSlow() - slowBefore));
            long end = DeliveryWait.await(healthy, delivered, start, 50);
            deliveries.awaitOutcomesRecorded(alreadyDelivered + healthy);
            if (sampling != null) {
                sampling.cancel(false);
                bench.figures().measuredWindowEnds();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("accepted", accepted.get());
            result.put("measuredMessages", (long) delivered.getAsInt());
            result.put("rejectedBatches", failures.get());
            result.put("offeredPerSecond", perTick * 100);
            result.put("messagesPerSecond", Bench.round(delivered.getAsInt() / Bench.seconds(end - start)));
            result.putAll(db.figures(delivered.getAsInt()));
            return result;
        }
    }

    private void enqueue(Targets targets, int total, int threads, Supplier<String> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        for (int from = 0; from < total; from += BATCH) {
            int size = Math.min(BATCH, total - from);
            String json = batch(targets, size, body);
            futures.add(pool.submit(() -> {
                HttpResponse<String> r = bench.post("/v1/messages/batch", json);
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("the API answered " + r.statusCode() + ": " + r.body());
                }
                long n = done.addAndGet(size);
                if (n % 20_000 == 0) {
                    Bench.progress("  enqueued %,d", n);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private String batch(Targets targets, int size, Supplier<String> body) {
        return Bench.batch(options.channel, targets, size, body);
    }
}
