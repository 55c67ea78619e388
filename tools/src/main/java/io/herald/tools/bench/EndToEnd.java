package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.tools.cluster.Probes;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import io.herald.tools.cluster.ScratchDatabase;
import java.time.Duration;
import java.util.List;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * {@code --mode e2e}: what a new user sees. One sequential client enqueues N webhooks in batches of
 * 1,000, each batch followed by one single message, into a receiver in another process while dispatch
 * runs; the clock runs from the first enqueue to the last delivery. Also reports how long a batch of
 * 1,000 and a single message took to be accepted meanwhile. With {@code --against db-scheduler} the
 * same drain is then run through db-scheduler on the same database server into the same receiver.
 */
record EndToEnd(Bench bench, ScratchDatabase database, RemoteReceiver receiver, int messages) {
    static final int BATCH = 1_000;

    /** e2e: the bin/herald up topology with config.yml's defaults and the receiver in a process of its own. */
    static Map<String, Object> run(Bench bench, BenchOptions options, ScratchDatabase database) throws Exception {
        LocalCluster cluster = bench.cluster();
        NodeProcess receiverProcess = cluster.startJava("receiver", "256m", List.of("-cp", cluster.toolsJar(),
                ReceiverProcess.class.getName(), "--port", Integer.toString(Bench.RECEIVER_PROCESS_PORT)));
        RemoteReceiver receiver = new RemoteReceiver(cluster, Bench.RECEIVER_PROCESS_PORT);
        Probes.awaitCondition(Duration.ofSeconds(30), "the receiver process", () -> {
            if (!receiverProcess.isAlive()) {
                throw new IllegalStateException("the receiver exited; see " + receiverProcess.log());
            }
            receiver.stats();
            return true;
        });
        // As bin/herald up starts them (io.herald.tools.up.Up): 256 MiB of heap each.
        List<NodeProcess> herald = bench.startCluster(2, 2, "256m", "256m");
        bench.sampler().scheduleAtFixedRate(cluster::sampleAll, 0, 500, TimeUnit.MILLISECONDS);
        EndToEnd run = new EndToEnd(bench, database, receiver, options.messages);
        Timeline heraldTimeline = bench.timeline("Herald");
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> heraldResult = run.herald(heraldTimeline);
        result.putAll(heraldResult);
        result.put("measuredMessages", heraldResult.get("delivered"));
        if (options.against != null) {
            Bench.progress("stopping Herald's nodes, so that db-scheduler has the machine to itself");
            cluster.sampleAll();
            for (NodeProcess node : herald) {
                node.stop();
            }
            Map<String, Object> against = new LinkedHashMap<>();
            against.put("Herald", heraldResult);
            against.put("db-scheduler", run.dbScheduler(bench.timeline("db-scheduler")));
            result.put("against", against);
        }
        JsonNode stats = receiver.stats();
        long accepted = (long) heraldResult.get("accepted");
        result.put("lost", accepted - (long) heraldResult.get("delivered"));
        result.put("duplicated", stats.path("duplicates").asLong());
        return result;
    }

    /** A message sender of one system: enqueues the messages numbered {@code from} to {@code to} (exclusive). */
    @FunctionalInterface
    interface Enqueue {
        void range(int from, int to) throws Exception;
    }

    Map<String, Object> herald(Timeline timeline) throws Exception {
        LatencyRecorder batchAccept = new LatencyRecorder();
        LatencyRecorder singleAccept = new LatencyRecorder();
        String target = receiver.url();
        Enqueue enqueue = (from, to) -> {
            batchAccept.record(timedAccept("/v1/messages/batch", Bench.batch("webhook", Targets.of(target), to - from, () -> "0")));
            singleAccept.record(timedAccept("/v1/messages", Bench.message("webhook", target, "0")));
        };
        bench.figures().measuredWindowStarts();
        Map<String, Object> result = drain("Herald", messages + messages / BATCH, enqueue, timeline);
        bench.figures().measuredWindowEnds();
        result.put("batchOf1000AcceptP50Millis", batchAccept.summary().p50Millis());
        result.put("batchOf1000AcceptP99Millis", batchAccept.summary().p99Millis());
        result.put("singleAcceptP50Millis", singleAccept.summary().p50Millis());
        result.put("singleAcceptP99Millis", singleAccept.summary().p99Millis());
        return result;
    }

    /** Microseconds from sending the request to an answer of 202. */
    private long timedAccept(String path, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = bench.post(path, body);
        long micros = (System.nanoTime() - start) / 1_000;
        if (r.statusCode() != 202) {
            throw new IllegalStateException("the API answered " + r.statusCode() + ": " + r.body());
        }
        return micros;
    }

    Map<String, Object> dbScheduler(Timeline timeline) throws Exception {
        try (DbSchedulerDrain drain = new DbSchedulerDrain(database, receiver.url())) {
            drain.start();
            Map<String, Object> result = drain("db-scheduler", messages, (from, to) -> {
                for (int i = from; i < to; i += BATCH) {
                    drain.enqueue(i, Math.min(to, i + BATCH));
                }
            }, timeline);
            result.put("threads", DbSchedulerDrain.THREADS);
            result.put("polling", "lock-and-fetch (0.5, 1.0), idle poll every " + DbSchedulerDrain.POLLING_INTERVAL.toMillis() + " ms");
            return result;
        }
    }

    /** Enqueues {@code expected} messages batch by batch from one thread and waits for the last to arrive. */
    private Map<String, Object> drain(String system, int expected, Enqueue enqueue, Timeline timeline) throws Exception {
        int baseline = receiver.distinct();
        IntSupplier delivered = () -> receiver.distinct() - baseline;
        Bench.progress("%s: one client enqueues %,d webhooks in batches of %,d while dispatch runs", system, messages, BATCH);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (DatabaseWindow db = new DatabaseWindow(database)) {
            Map<String, ProcessFigures.Usage> cpuBefore = bench.figures().usage();
            long start = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> timeline.record(System.nanoTime() - start, delivered.getAsInt()), 0, 500, TimeUnit.MILLISECONDS);
            for (int from = 0; from < messages; from += BATCH) {
                enqueue.range(from, Math.min(messages, from + BATCH));
                if ((from / BATCH + 1) % 10 == 0) {
                    Bench.progress("%5.1f s  %s: enqueued %,d, delivered %,d", (System.nanoTime() - start) / 1e9, system,
                            from + BATCH, delivered.getAsInt());
                }
            }
            double enqueueSeconds = (System.nanoTime() - start) / 1e9;
            long end = DeliveryWait.await(expected, delivered, start, 50);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("system", system);
            result.put("accepted", (long) expected);
            result.put("delivered", (long) delivered.getAsInt());
            result.put("enqueueSeconds", DatabaseCounters.round(enqueueSeconds));
            result.put("firstEnqueueToLastDeliverySeconds", DatabaseCounters.round((end - start) / 1e9));
            result.put("messagesPerSecond", Math.round(delivered.getAsInt() / ((end - start) / 1e9)));
            result.putAll(db.figures(delivered.getAsInt()));
            result.put("cpuSeconds", bench.figures().cpuSince(cpuBefore));
            return result;
        } finally {
            sampler.shutdownNow();
        }
    }
}
