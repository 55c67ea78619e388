package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.common.model.MessageStatus;
import io.herald.common.transition.StatusSql;
import io.herald.tools.cli.Args;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import io.herald.tools.cluster.ScratchDatabase;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code bin/herald bench}: starts ZooKeeper, masters and workers as processes against a fresh
 * database, plus a local receiver, drives load through the batch API, and reports throughput, latency,
 * CPU and memory per process, database work per message, threads and allocation per Herald process
 * (from a flight recording of each), and losses and duplicates as the receiver saw them. Writes JSON,
 * a self-contained HTML report and PNG charts; with {@code --quick} it also checks the budgets.
 */
public final class Bench {
    private static final int ZK_PORT = 2281;
    private static final int MASTER_PORT = 8180;
    private static final int FIRST_WORKER_PORT = 8190;
    private static final int RECEIVER_PROCESS_PORT = 8170;
    private static final int SMTP_PORT = 2525;
    private static final int BATCH = 1_000;
    private static final int TOP_FRAMES = 8;
    private static final String BUDGETS = "tools/bench-budgets.properties";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchOptions options;
    private final ScratchDatabase database;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ScheduledExecutorService sampler = Executors.newScheduledThreadPool(2);
    private final Map<String, Timeline> timelines = new LinkedHashMap<>();
    private final Map<String, Double> cpuAtWindowStart = new LinkedHashMap<>();
    private final Map<String, Double> cpuInWindow = new LinkedHashMap<>();
    private LocalCluster cluster;
    private FlightRecording recording;
    private String api;
    private String admin;
    private final List<String> workerAdmins = new ArrayList<>();
    private String apiKey;
    private Instant windowFrom = Instant.MAX;
    private Instant windowTo = Instant.MIN;

    private Bench(BenchOptions options) {
        this.options = options;
        this.database = new ScratchDatabase("herald_bench", options.root.resolve(".herald/bench"));
    }

    public static void main(String[] args) {
        try {
            BenchOptions options = BenchOptions.parse(args);
            System.exit(new Bench(options).run());
        } catch (Args.UsageException e) {
            System.err.println("herald bench: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("herald bench: failed: " + e);
            System.exit(1);
        }
    }

    private int run() throws Exception {
        Path work = options.root.resolve(".herald/bench");
        Budgets budgets = budgets();
        // Checked before the database is dropped: a second bench on this machine would otherwise drop
        // the running one's database and join its ZooKeeper.
        for (int port : new int[] {ZK_PORT, MASTER_PORT, RECEIVER_PROCESS_PORT}) {
            if (LocalCluster.portInUse(port)) {
                throw new IllegalStateException("port " + port + " is in use: another bench is probably running; wait and retry");
            }
        }
        database.recreate();
        progress("database: %s", database.description());
        cluster = new LocalCluster(options.root, work);
        cluster.env("DB_URL", database.url()).env("DB_USER", database.user()).env("DB_PASSWORD", database.password());
        recording = new FlightRecording(work.resolve("jfr"), options.profile);
        boolean e2e = options.mode.equals("e2e");
        // The collector every launcher gives the nodes (bin/herald up included), plus the flight recording.
        cluster.nodeJvmOptions(id -> concat(List.of("-XX:+UseParallelGC"), recording.jvmOptions(id)));
        Map<String, Object> result;
        try {
            result = e2e ? endToEnd() : local();
        } finally {
            sampler.shutdownNow();
            cluster.close();
            database.close();
        }
        progress("reading the flight recordings in %s", work.resolve("jfr"));
        result.put("processes", processFigures(measuredMessages(result)));
        return report(work, result, budgets);
    }

    private Budgets budgets() throws Exception {
        Path file = options.budgets != null ? options.budgets : options.quick ? options.root.resolve(BUDGETS) : null;
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException("the budgets file " + file + " does not exist");
        }
        return Budgets.load(file);
    }

    /** drain and steady: one master, N workers, the receiver (or SMTP server) in this process. */
    private Map<String, Object> local() throws Exception {
        cluster.env("LOG_LEVEL", "WARN").env("SMTP_HOST", "127.0.0.1").env("SMTP_PORT", Integer.toString(SMTP_PORT))
                .env("SMTP_FROM", "bench@herald.test");
        options.tuning.forEach(cluster::env);
        GreenMail smtp = smtpIfNeeded();
        int[] ports = new int[options.receivers];
        try (FastReceiver receiver = new FastReceiver(64, latency, ports, options.slowReceiver, 0)) {
            startCluster(1, options.workers, "512m", "256m");
            sampler.scheduleAtFixedRate(cluster::sampleAll, 0, 500, TimeUnit.MILLISECONDS);
            Targets targets = switch (options.channel) {
                case "email" -> Targets.of("rcpt@herald.test");
                case "log" -> Targets.of("bench-log");
                default -> new Targets(receiver.urls(), receiver.slowUrl());
            };
            IntSupplier delivered = switch (options.channel) {
                case "email" -> () -> smtp.getReceivedMessages().length;
                case "log" -> this::sentByWorkers;
                default -> receiver::distinct;
            };
            Map<String, Object> result = options.mode.equals("drain") ? drain(targets, delivered) : steady(targets, delivered);
            Map<String, Long> deliveries = switch (options.channel) {
                case "email" -> emailDeliveries(smtp);
                case "log" -> logDeliveries();
                default -> Map.of("distinct", (long) receiver.distinct(), "duplicates", receiver.duplicates());
            };
            long accepted = (long) result.get("accepted") - targets.toSlow();
            result.put("lost", accepted - deliveries.get("distinct"));
            result.put("duplicated", deliveries.get("duplicates"));
            if (options.slowReceiver != null) {
                result.put("healthyDestinations", options.receivers);
                result.put("slowDestination", options.slowReceiver.toString());
                result.put("sentToSlowDestination", targets.toSlow());
                result.put("slowDestinationRequests", receiver.slowArrivals());
            }
            result.put("latency", latency.summary());
            result.put("claim", claimFigures());
            cluster.sampleAll();
            return result;
        } finally {
            if (smtp != null) {
                smtp.stop();
            }
        }
    }

    /** e2e: the bin/herald up topology with config.yml's defaults and the receiver in a process of its own. */
    private Map<String, Object> endToEnd() throws Exception {
        NodeProcess receiverProcess = cluster.startJava("receiver", "256m", List.of("-cp", cluster.toolsJar(),
                ReceiverProcess.class.getName(), "--port", Integer.toString(RECEIVER_PROCESS_PORT)));
        RemoteReceiver receiver = new RemoteReceiver(cluster, RECEIVER_PROCESS_PORT);
        LocalCluster.awaitCondition(Duration.ofSeconds(30), "the receiver process", () -> {
            if (!receiverProcess.isAlive()) {
                throw new IllegalStateException("the receiver exited; see " + receiverProcess.log());
            }
            receiver.stats();
            return true;
        });
        // As bin/herald up starts them (io.herald.tools.up.Up): 256 MiB of heap each.
        List<NodeProcess> herald = startCluster(2, 2, "256m", "256m");
        sampler.scheduleAtFixedRate(cluster::sampleAll, 0, 500, TimeUnit.MILLISECONDS);
        EndToEnd run = new EndToEnd(this, database, receiver, options.messages);
        Timeline heraldTimeline = timeline("Herald");
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> heraldResult = run.herald(heraldTimeline);
        result.putAll(heraldResult);
        result.put("measuredMessages", heraldResult.get("delivered"));
        if (options.against != null) {
            progress("stopping Herald's nodes, so that db-scheduler has the machine to itself");
            cluster.sampleAll();
            for (NodeProcess node : herald) {
                node.stop();
            }
            Map<String, Object> against = new LinkedHashMap<>();
            against.put("Herald", heraldResult);
            against.put("db-scheduler", run.dbScheduler(timeline("db-scheduler")));
            result.put("against", against);
        }
        JsonNode stats = receiver.stats();
        long accepted = (long) heraldResult.get("accepted");
        result.put("lost", accepted - (long) heraldResult.get("delivered"));
        result.put("duplicated", stats.path("duplicates").asLong());
        return result;
    }

    private Timeline timeline(String system) {
        return timelines.computeIfAbsent(system, s -> new Timeline());
    }

    private GreenMail smtpIfNeeded() {
        if (!options.channel.equals("email")) {
            return null;
        }
        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        return smtp;
    }

    /** Starts ZooKeeper, migrates (and prefills), starts the nodes and waits for a leader; returns the Herald nodes. */
    private List<NodeProcess> startCluster(int masters, int workers, String masterHeap, String workerHeap) throws Exception {
        progress("starting ZooKeeper, %d master(s) and %d worker(s); logs in .herald/bench/logs", masters, workers);
        cluster.startZooKeeper(ZK_PORT);
        cluster.migrate();
        if (options.prefill > 0) {
            try (Connection c = database.connection()) {
                Prefill.insert(c, "bench", options.prefill, line -> progress("%s", line));
            }
        }
        List<NodeProcess> nodes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < masters; i++) {
            nodes.add(cluster.startMaster(masters == 1 ? "bench-master" : "bench-master-" + (i + 1), MASTER_PORT + 2 * i, masterHeap));
            ports.add(MASTER_PORT + 2 * i);
        }
        for (int i = 0; i < workers; i++) {
            nodes.add(cluster.startWorker("bench-worker-" + (i + 1), FIRST_WORKER_PORT + 2 * i, workerHeap));
            workerAdmins.add("http://127.0.0.1:" + (FIRST_WORKER_PORT + 2 * i + 1));
            ports.add(FIRST_WORKER_PORT + 2 * i);
        }
        for (int i = 0; i < nodes.size(); i++) {
            cluster.awaitUp(nodes.get(i), ports.get(i));
        }
        api = "http://127.0.0.1:" + MASTER_PORT;
        admin = "http://127.0.0.1:" + (MASTER_PORT + 1);
        apiKey = cluster.createApplication(admin, "bench");
        LocalCluster.awaitCondition(Duration.ofSeconds(30), "leader election",
                () -> cluster.get(api + "/v1/cluster", apiKey).body().contains("\"leader\":\"bench-master"));
        return nodes;
    }

    /** Enqueue everything with dispatch paused, then time delivery from resume to the last arrival. */
    private Map<String, Object> drain(Targets targets, IntSupplier delivered) throws Exception {
        if (options.warmup > 0) {
            progress("warm-up (not measured): %,d messages", options.warmup);
            Map<String, Object> warm = drainPhase(targets, options.warmup, 0, delivered, null);
            progress("warm-up drained at %,.0f/s", (double) warm.get("messagesPerSecond"));
        }
        int warmHealthy = options.warmup - (int) targets.toSlow();
        Map<String, Object> result = drainPhase(targets, options.messages, warmHealthy, delivered, timeline("Herald"));
        result.put("accepted", (long) options.messages + options.warmup);
        return result;
    }

    private Map<String, Object> drainPhase(Targets targets, int total, int alreadyDelivered, IntSupplier delivered, Timeline timeline)
            throws Exception {
        cluster.post(admin + "/tasks/pause-dispatch", "", cluster.adminToken());
        progress("enqueueing %,d messages through the batch API (dispatch paused)", total);
        long slowBefore = targets.toSlow();
        long enqueueStart = System.nanoTime();
        enqueue(targets, total, 4, () -> "0");
        double enqueueSeconds = seconds(System.nanoTime() - enqueueStart);
        int healthy = total - (int) (targets.toSlow() - slowBefore);
        progress("enqueued %,d in %.1f s (%,.0f/s); resuming dispatch", total, enqueueSeconds, total / enqueueSeconds);

        try (DatabaseWindow db = new DatabaseWindow(database)) {
            IntSupplier deliveredNow = () -> delivered.getAsInt() - alreadyDelivered;
            if (timeline != null) {
                measuredWindowStarts();
            }
            long start = System.nanoTime();
            ScheduledFuture<?> sampling = timeline == null ? null : sampleTimeline(timeline, start, deliveredNow);
            cluster.post(admin + "/tasks/resume-dispatch", "", cluster.adminToken());
            long end = DeliveryWait.await(healthy, deliveredNow, start, 50);
            awaitOutcomesRecorded(alreadyDelivered + healthy);
            if (sampling != null) {
                sampling.cancel(false);
                measuredWindowEnds();
            }
            double seconds = seconds(end - start);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("measuredMessages", (long) deliveredNow.getAsInt());
            result.put("enqueuePerSecond", round(total / enqueueSeconds));
            result.put("deliverySeconds", round(seconds));
            result.put("messagesPerSecond", round(deliveredNow.getAsInt() / seconds));
            result.putAll(db.figures(deliveredNow.getAsInt()));
            return result;
        }
    }

    private ScheduledFuture<?> sampleTimeline(Timeline timeline, long start, IntSupplier delivered) {
        return sampler.scheduleAtFixedRate(() -> timeline.record(System.nanoTime() - start, delivered.getAsInt()),
                0, 500, TimeUnit.MILLISECONDS);
    }

    /** A fixed offered rate for a fixed time; latency runs from each message's scheduled send time to its arrival. */
    private Map<String, Object> steady(Targets targets, IntSupplier delivered) throws Exception {
        long warmAccepted = 0;
        if (options.warmup > 0) {
            progress("warm-up (not measured): %d s of the same load", options.warmup);
            warmAccepted = (long) offer(targets, delivered, options.warmup, 0, null).get("accepted");
            latency.reset();
        }
        int warmHealthy = (int) (warmAccepted - targets.toSlow());
        Map<String, Object> result = offer(targets, delivered, options.durationSeconds, warmHealthy, timeline("Herald"));
        result.put("accepted", (long) result.get("accepted") + warmAccepted);
        return result;
    }

    private Map<String, Object> offer(Targets targets, IntSupplier deliveredSoFar, int durationSeconds, int alreadyDelivered,
            Timeline timeline) throws Exception {
        IntSupplier delivered = () -> deliveredSoFar.getAsInt() - alreadyDelivered;
        int perTick = Math.max(1, options.rate / 100);
        int ticks = durationSeconds * 100;
        progress("offering %,d messages/s for %d s (%d every 10 ms)", perTick * 100, durationSeconds, perTick);
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long slowBefore = targets.toSlow();
        try (DatabaseWindow db = new DatabaseWindow(database)) {
            if (timeline != null) {
                measuredWindowStarts();
            }
            long start = System.nanoTime();
            SendSchedule schedule = new SendSchedule(FastReceiver.nowMicros(), 10_000);
            ScheduledFuture<?> sampling = timeline == null ? null : sampleTimeline(timeline, start, delivered);
            List<ScheduledFuture<?>> scheduled = new ArrayList<>();
            for (int t = 0; t < ticks; t++) {
                String due = Long.toString(schedule.dueMicros(t));
                scheduled.add(ticker.schedule(() -> {
                    try {
                        HttpResponse<String> r = post("/v1/messages/batch", batch(targets, perTick, () -> due));
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
                progress("%5.1f s  accepted %,d  delivered %,d", seconds(System.nanoTime() - start), accepted.get(), delivered.getAsInt());
            }
            for (var f : scheduled) {
                f.get();
            }
            ticker.shutdown();
            int healthy = (int) (accepted.get() - (targets.toSlow() - slowBefore));
            long end = DeliveryWait.await(healthy, delivered, start, 50);
            awaitOutcomesRecorded(alreadyDelivered + healthy);
            if (sampling != null) {
                sampling.cancel(false);
                measuredWindowEnds();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("accepted", accepted.get());
            result.put("measuredMessages", (long) delivered.getAsInt());
            result.put("rejectedBatches", failures.get());
            result.put("offeredPerSecond", perTick * 100);
            result.put("messagesPerSecond", round(delivered.getAsInt() / seconds(end - start)));
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
                HttpResponse<String> r = post("/v1/messages/batch", json);
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("the API answered " + r.statusCode() + ": " + r.body());
                }
                long n = done.addAndGet(size);
                if (n % 20_000 == 0) {
                    progress("  enqueued %,d", n);
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
        return batch(options.channel, targets, size, body);
    }

    /** A JSON array of {@code size} messages, each to the next target, with {@code body} as the body. */
    static String batch(String channel, Targets targets, int size, Supplier<String> body) {
        StringBuilder json = new StringBuilder(size * 120).append('[');
        for (int i = 0; i < size; i++) {
            json.append(i == 0 ? "" : ",").append(message(channel, targets.next(), body.get()));
        }
        return json.append(']').toString();
    }

    static String message(String channel, String target, String body) {
        return "{\"channel\":\"" + channel + "\",\"target\":\"" + target + "\",\"subject\":\"bench\",\"body\":\"" + body + "\"}";
    }

    /** The measured window: its flight-recording events and CPU are what the report counts. */
    void measuredWindowStarts() {
        windowFrom = Instant.now();
        cpuAtWindowStart.putAll(cpuSnapshot());
    }

    void measuredWindowEnds() {
        windowTo = Instant.now();
        cpuInWindow.putAll(cpuSince(cpuAtWindowStart));
    }

    /** CPU seconds so far of every process of the run: the cluster's, this one, and the database server. */
    Map<String, Double> cpuSnapshot() {
        cluster.sampleAll();
        Map<String, Double> cpu = new LinkedHashMap<>();
        cluster.processes().forEach(p -> cpu.put(p.name(), p.cpuSeconds()));
        NodeProcess.Stats self = NodeProcess.Stats.of(ProcessHandle.current().pid());
        if (self != null) {
            cpu.put(selfName(), self.cpuSeconds());
        }
        NodeProcess.Stats db = databaseServer();
        if (db != null) {
            cpu.put("database server", db.cpuSeconds());
        }
        return cpu;
    }

    /** CPU seconds each process used since {@code before}; processes that used none (stopped ones) are left out. */
    Map<String, Double> cpuSince(Map<String, Double> before) {
        Map<String, Double> used = new LinkedHashMap<>();
        cpuSnapshot().forEach((name, now) -> {
            double delta = round(now - before.getOrDefault(name, 0.0));
            if (delta > 0) {
                used.put(name, delta);
            }
        });
        return used;
    }

    private String selfName() {
        return options.against == null ? "bench + receiver" : "bench (client, db-scheduler)";
    }

    private Map<String, Long> emailDeliveries(GreenMail smtp) throws Exception {
        Map<String, Integer> perId = new HashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            perId.merge(m.getHeader("X-Herald-Message-Id")[0], 1, Integer::sum);
        }
        long duplicates = perId.values().stream().mapToLong(n -> n - 1).sum();
        return Map.of("distinct", (long) perId.size(), "duplicates", duplicates);
    }

    /**
     * The log channel has no receiver. While it runs, the workers' own count of sends (their
     * herald_messages_total{status="sent"}, from the admin port) says how far it got, without a query that would
     * read the message table (a prefilled one especially) and count in the database figures.
     */
    private int sentByWorkers() {
        int sent = 0;
        for (String workerAdmin : workerAdmins) {
            try {
                sent += (int) PrometheusText.sum(cluster.get(workerAdmin + "/prometheus").body(), "herald_messages_total",
                        "status=\"sent\"");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } catch (Exception e) {
                return 0; // a worker not answering this moment: asked again on the next poll
            }
        }
        return sent;
    }

    /**
     * A send is counted before its outcome is written: for the log channel, the measured window ends
     * only once the database holds every outcome (a primary-key range past the prefilled rows).
     */
    private void awaitOutcomesRecorded(int expected) throws Exception {
        if (options.channel.equals("log")) {
            LocalCluster.awaitCondition(Duration.ofSeconds(30), "the outcomes of " + expected + " sends",
                    () -> sentInDatabase() >= expected);
        }
    }

    private long sentInDatabase() throws java.sql.SQLException {
        return database.queryLong("SELECT COUNT(*) FROM message WHERE id > " + options.prefill + " AND " + StatusSql.is(MessageStatus.SENT));
    }

    private Map<String, Long> logDeliveries() throws Exception {
        long extraAttempts = database.queryLong("SELECT COUNT(*) - COUNT(DISTINCT message_id) FROM delivery WHERE message_id > "
                + options.prefill);
        return Map.of("distinct", sentInDatabase(), "duplicates", extraAttempts);
    }

    private static long measuredMessages(Map<String, Object> result) {
        return ((Number) result.getOrDefault("measuredMessages", 0L)).longValue();
    }

    /** Per process: CPU (whole life and measured window), peak RSS; per Herald node also threads and allocation. */
    private List<Map<String, Object>> processFigures(long messages) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NodeProcess p : cluster.processes()) {
            Map<String, Object> row = processRow(p.name(), p.cpuSeconds(), p.peakRssKiB());
            Path jfr = recording.file(p.name());
            if (Files.exists(jfr)) {
                flightRecordingFigures(row, p.name(), jfr, messages);
            }
            rows.add(row);
        }
        NodeProcess.Stats self = NodeProcess.Stats.of(ProcessHandle.current().pid());
        if (self != null) {
            rows.add(processRow(selfName(), self.cpuSeconds(), self.peakRssKiB()));
        }
        NodeProcess.Stats db = databaseServer();
        if (db != null) {
            rows.add(processRow("database server", db.cpuSeconds(), db.peakRssKiB()));
        }
        for (Map<String, Object> row : rows) {
            row.put("measuredCpuSeconds", cpuInWindow.get((String) row.get("process")));
        }
        return rows;
    }

    /** Threads and allocation from a node's recording; one that cannot be read (a node killed mid-dump) is reported, not fatal. */
    private void flightRecordingFigures(Map<String, Object> row, String name, Path jfr, long messages) {
        try {
            JfrSummary s = JfrSummary.read(name, jfr, windowFrom, windowTo, TOP_FRAMES);
            row.put("threadsStarted", s.threadsStarted());
            row.put("threadsStartedPer1000", round(s.threadsStarted() * 1000.0 / Math.max(1, messages)));
            row.put("bytesAllocatedPerMessage", Math.round(s.allocatedBytes() / (double) Math.max(1, messages)));
            row.put("profile", options.profile ? s : Map.of("threadStarters", s.threadStarters()));
        } catch (java.io.IOException | RuntimeException e) {
            row.put("recordingUnreadable", jfr + ": " + e);
        }
    }

    static NodeProcess.Stats databaseServer() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .findFirst()
                .map(h -> NodeProcess.Stats.of(h.pid()))
                .orElse(null);
    }

    private static Map<String, Object> processRow(String name, double cpu, long rssKiB) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("process", name);
        row.put("cpuSeconds", round(cpu));
        row.put("peakRssMiB", rssKiB / 1024);
        return row;
    }

    /** The leader's claim transaction, timed by the master (its reservoir favours the recent, measured part). */
    private Map<String, Object> claimFigures() throws Exception {
        JsonNode timer = JSON.readTree(cluster.get(admin + "/metrics").body())
                .path("timers").path("herald.master.claim_time");
        double toMillis = switch (timer.path("duration_units").asText("seconds")) {
            case "milliseconds" -> 1;
            case "microseconds" -> 0.001;
            default -> 1_000;
        };
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("claims", timer.path("count").asLong());
        for (String field : List.of("mean", "p50", "p99", "max")) {
            figures.put(field + "Millis", round(timer.path(field).asDouble() * toMillis));
        }
        return figures;
    }

    private int report(Path work, Map<String, Object> result, Budgets budgets) throws Exception {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("date", LocalDateTime.now().toString());
        full.put("mode", options.quick ? "quick" : options.mode);
        full.put("channel", options.channel);
        full.put("workers", options.mode.equals("e2e") ? 2 : options.workers);
        full.put("warmup", options.warmup);
        full.put("prefilled", options.prefill);
        full.put("cores", Runtime.getRuntime().availableProcessors());
        full.put("tuning", options.tuning);
        full.putAll(result);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<String> budgetFailures = List.of();
        List<String> budgetNotChecked = List.of();
        if (budgets != null) {
            List<Budgets.Check> checks = budgets.check(GuardFigures.of(json.valueToTree(full)));
            full.put("budgets", budgets.asReport(checks));
            budgetFailures = budgets.failures(checks);
            budgetNotChecked = budgets.notChecked(checks);
        }
        Path out = options.out != null ? options.out
                : work.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()) + "-" + full.get("mode") + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writeValue(out.toFile(), full);
        Path html = writeHtmlAndCharts(json.valueToTree(full), out);
        ReportTable.print(json.valueToTree(full));
        System.out.println("report written to " + out + " and " + html);
        budgetNotChecked.forEach(System.out::println);
        budgetFailures.forEach(System.out::println);
        boolean correct = (long) full.get("lost") == 0 && (long) full.get("duplicated") == 0;
        System.out.println(correct ? "RESULT: correct (no loss, no duplicate)" : "RESULT: WRONG: messages were lost or duplicated");
        if (budgets != null) {
            System.out.println(budgetFailures.isEmpty() ? "BUDGETS: every figure within its budget" : "BUDGETS: exceeded (see above)");
        }
        return correct && budgetFailures.isEmpty() ? 0 : 1;
    }

    /** Writes the HTML report beside the JSON, and each chart as a PNG beside both; returns the HTML file. */
    private Path writeHtmlAndCharts(JsonNode report, Path out) throws Exception {
        String base = out.getFileName().toString().replaceFirst("\\.json$", "");
        Map<String, List<Timeline.Point>> throughput = new LinkedHashMap<>();
        timelines.forEach((system, t) -> throughput.put(system, t.points()));
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        Map<String, Double> rates = new LinkedHashMap<>();
        report.path("against").fields().forEachRemaining(e -> {
            rates.put(e.getKey(), e.getValue().path("messagesPerSecond").asDouble());
            Map<String, Double> used = new LinkedHashMap<>();
            e.getValue().path("cpuSeconds").fields().forEachRemaining(p -> used.put(p.getKey(), p.getValue().asDouble()));
            cpu.put(e.getKey(), used);
        });
        if (cpu.isEmpty()) {
            cpu.put("Herald", cpuInWindow);
        }
        List<ReportCharts.Chart> charts = ReportCharts.build(new ReportCharts.Data(throughput, latency.distribution(), cpu, rates));
        for (ReportCharts.Chart chart : charts) {
            chart.png(out.toAbsolutePath().getParent(), base);
        }
        Path html = out.resolveSibling(base + ".html");
        Files.writeString(html, HtmlReport.render("Herald bench: " + report.path("mode").asText() + ", " + report.path("date").asText(),
                report, charts));
        return html;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return cluster.post(api + path, body, apiKey);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void progress(String format, Object... args) {
        System.out.printf("  " + format + "%n", args);
    }
}
