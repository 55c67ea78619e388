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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * {@code bin/herald bench}: starts ZooKeeper, one master and N workers as processes against a fresh
 * database, plus a local receiver, drives load through the batch API, and reports throughput, latency,
 * CPU and memory per process, database statements per message, and losses and duplicates as the
 * receiver saw them.
 */
public final class Bench {
    private static final int ZK_PORT = 2281;
    private static final int MASTER_PORT = 8180;
    private static final int FIRST_WORKER_PORT = 8190;
    private static final int SMTP_PORT = 2525;
    private static final int BATCH = 1_000;
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private final BenchOptions options;
    private final ScratchDatabase database;
    private final LatencyRecorder latency = new LatencyRecorder();
    private LocalCluster cluster;
    private String api;
    private String admin;
    private String apiKey;

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
        // Checked before the database is dropped: a second bench on this machine would otherwise drop
        // the running one's database and join its ZooKeeper.
        for (int port : new int[] {ZK_PORT, MASTER_PORT}) {
            if (LocalCluster.portInUse(port)) {
                throw new IllegalStateException("port " + port + " is in use: another bench is probably running; wait and retry");
            }
        }
        database.recreate();
        progress("database: %s", database.description());
        cluster = new LocalCluster(options.root, work);
        cluster.env("DB_URL", database.url()).env("DB_USER", database.user()).env("DB_PASSWORD", database.password())
                .env("LOG_LEVEL", "WARN").env("SMTP_HOST", "127.0.0.1").env("SMTP_PORT", Integer.toString(SMTP_PORT))
                .env("SMTP_FROM", "bench@herald.test");
        options.tuning.forEach(cluster::env);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        GreenMail smtp = smtpIfNeeded();
        try (FastReceiver receiver = new FastReceiver(64, latency)) {
            startCluster();
            sampler.scheduleAtFixedRate(cluster::sampleAll, 0, 500, TimeUnit.MILLISECONDS);
            String target = switch (options.channel) {
                case "email" -> "rcpt@herald.test";
                case "log" -> "bench-log";
                default -> receiver.url();
            };
            IntSupplier delivered = switch (options.channel) {
                case "email" -> () -> smtp.getReceivedMessages().length;
                case "log" -> this::sentInDatabase;
                default -> receiver::distinct;
            };
            Map<String, Object> result = options.mode.equals("drain")
                    ? drain(target, delivered)
                    : steady(target, delivered);
            Map<String, Long> deliveries = switch (options.channel) {
                case "email" -> emailDeliveries(smtp);
                case "log" -> logDeliveries();
                default -> Map.of("distinct", (long) receiver.distinct(), "duplicates", receiver.duplicates());
            };
            long accepted = (long) result.get("accepted");
            result.put("lost", accepted - deliveries.get("distinct"));
            result.put("duplicated", deliveries.get("duplicates"));
            result.put("latency", latency.summary());
            result.put("claim", claimFigures());
            cluster.sampleAll();
            result.put("processes", processFigures());
            return report(work, result);
        } finally {
            sampler.shutdownNow();
            cluster.close();
            database.close();
            if (smtp != null) {
                smtp.stop();
            }
        }
    }

    private GreenMail smtpIfNeeded() {
        if (!options.channel.equals("email")) {
            return null;
        }
        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        return smtp;
    }

    private void startCluster() throws Exception {
        progress("starting ZooKeeper, 1 master and %d worker(s); logs in .herald/bench/logs", options.workers);
        cluster.startZooKeeper(ZK_PORT);
        cluster.migrate();
        NodeProcess master = cluster.startMaster("bench-master", MASTER_PORT, "512m");
        List<NodeProcess> workers = new ArrayList<>();
        for (int i = 0; i < options.workers; i++) {
            workers.add(cluster.startWorker("bench-worker-" + (i + 1), FIRST_WORKER_PORT + 2 * i, "256m"));
        }
        cluster.awaitUp(master, MASTER_PORT);
        for (int i = 0; i < workers.size(); i++) {
            cluster.awaitUp(workers.get(i), FIRST_WORKER_PORT + 2 * i);
        }
        api = "http://127.0.0.1:" + MASTER_PORT;
        admin = "http://127.0.0.1:" + (MASTER_PORT + 1);
        apiKey = cluster.createApplication(admin, "bench");
        LocalCluster.awaitCondition(Duration.ofSeconds(30), "leader election",
                () -> cluster.get(api + "/v1/cluster", apiKey).body().contains("\"leader\":\"bench-master\""));
    }

    /** Enqueue everything with dispatch paused, then time delivery from resume to the last arrival. */
    private Map<String, Object> drain(String target, IntSupplier delivered) throws Exception {
        if (options.warmup > 0) {
            progress("warm-up (not measured): %,d messages", options.warmup);
            Map<String, Object> warm = drainPhase(target, options.warmup, 0, delivered);
            progress("warm-up drained at %,.0f/s", (double) warm.get("messagesPerSecond"));
        }
        Map<String, Object> result = drainPhase(target, options.messages, options.warmup, delivered);
        result.put("accepted", (long) options.messages + options.warmup);
        return result;
    }

    private Map<String, Object> drainPhase(String target, int total, int alreadyDelivered, IntSupplier delivered) throws Exception {
        cluster.post(admin + "/tasks/pause-dispatch", "", cluster.adminToken());
        progress("enqueueing %,d messages through the batch API (dispatch paused)", total);
        long enqueueStart = System.nanoTime();
        enqueue(target, total, 4, () -> "0");
        double enqueueSeconds = seconds(System.nanoTime() - enqueueStart);
        progress("enqueued %,d in %.1f s (%,.0f/s); resuming dispatch", total, enqueueSeconds, total / enqueueSeconds);

        Map<String, Long> before = databaseCounters();
        long start = System.nanoTime();
        cluster.post(admin + "/tasks/resume-dispatch", "", cluster.adminToken());
        IntSupplier deliveredNow = () -> delivered.getAsInt() - alreadyDelivered;
        long end = awaitDeliveries(total, deliveredNow, start);
        Map<String, Long> after = databaseCounters();
        double seconds = seconds(end - start);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("measuredMessages", (long) total);
        result.put("enqueuePerSecond", round(total / enqueueSeconds));
        result.put("deliverySeconds", round(seconds));
        result.put("messagesPerSecond", round(deliveredNow.getAsInt() / seconds));
        result.putAll(perMessage(before, after, deliveredNow.getAsInt()));
        return result;
    }

    /** A fixed offered rate for a fixed time; latency is enqueue to arrival at the receiver. */
    private Map<String, Object> steady(String target, IntSupplier delivered) throws Exception {
        long warmAccepted = 0;
        if (options.warmup > 0) {
            progress("warm-up (not measured): %d s of the same load", options.warmup);
            warmAccepted = (long) offer(target, delivered, options.warmup, 0).get("accepted");
            latency.reset();
        }
        Map<String, Object> result = offer(target, delivered, options.durationSeconds, (int) warmAccepted);
        result.put("measuredMessages", result.get("accepted"));
        result.put("accepted", (long) result.get("accepted") + warmAccepted);
        return result;
    }

    private Map<String, Object> offer(String target, IntSupplier deliveredSoFar, int durationSeconds, int alreadyDelivered)
            throws Exception {
        IntSupplier delivered = () -> deliveredSoFar.getAsInt() - alreadyDelivered;
        int perTick = Math.max(1, options.rate / 100);
        int ticks = durationSeconds * 100;
        progress("offering %,d messages/s for %d s (%d every 10 ms)", perTick * 100, durationSeconds, perTick);
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Map<String, Long> before = databaseCounters();
        long start = System.nanoTime();
        List<java.util.concurrent.ScheduledFuture<?>> scheduled = new ArrayList<>();
        for (int t = 0; t < ticks; t++) {
            scheduled.add(ticker.schedule(() -> {
                try {
                    HttpResponse<String> r = post(api + "/v1/messages/batch", batch(target, perTick, Bench::nowMicros));
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
        long end = awaitDeliveries((int) accepted.get(), delivered, start);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("accepted", accepted.get());
        result.put("rejectedBatches", failures.get());
        result.put("offeredPerSecond", perTick * 100);
        result.put("messagesPerSecond", round(delivered.getAsInt() / seconds(end - start)));
        result.putAll(perMessage(before, databaseCounters(), delivered.getAsInt()));
        return result;
    }

    private void enqueue(String target, int total, int threads, java.util.function.Supplier<String> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        for (int from = 0; from < total; from += BATCH) {
            int size = Math.min(BATCH, total - from);
            futures.add(pool.submit(() -> {
                HttpResponse<String> r = post(api + "/v1/messages/batch", batch(target, size, body));
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

    private static String batch(String target, int size, java.util.function.Supplier<String> body) {
        String channel = target.startsWith("http") ? "webhook" : target.contains("@") ? "email" : "log";
        StringBuilder json = new StringBuilder(size * 120).append('[');
        for (int i = 0; i < size; i++) {
            json.append(i == 0 ? "" : ",").append("{\"channel\":\"").append(channel)
                    .append("\",\"target\":\"").append(target).append("\",\"subject\":\"bench\",\"body\":\"")
                    .append(body.get()).append("\"}");
        }
        return json.append(']').toString();
    }

    /** Waits until {@code expected} messages arrived, printing progress; gives up after a minute without any. */
    private long awaitDeliveries(int expected, IntSupplier delivered, long start) throws InterruptedException {
        int last = -1;
        long lastChange = System.nanoTime();
        long lastPrint = 0;
        int lastPrinted = 0;
        while (delivered.getAsInt() < expected) {
            int now = delivered.getAsInt();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL_LIMIT.toNanos()) {
                progress("no delivery for %d s; stopping with %,d of %,d delivered", STALL_LIMIT.toSeconds(), now, expected);
                break;
            }
            if (System.nanoTime() - lastPrint >= 1_000_000_000L) {
                progress("%5.1f s  delivered %,d / %,d  (%,d/s now)", seconds(System.nanoTime() - start), now, expected,
                        lastPrint == 0 ? 0 : now - lastPrinted);
                lastPrint = System.nanoTime();
                lastPrinted = now;
            }
            Thread.sleep(options.channel.equals("log") ? 250 : 50);
        }
        return System.nanoTime();
    }

    private Map<String, Long> emailDeliveries(GreenMail smtp) throws Exception {
        Map<String, Integer> perId = new HashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            perId.merge(m.getHeader("X-Herald-Message-Id")[0], 1, Integer::sum);
        }
        long duplicates = perId.values().stream().mapToLong(n -> n - 1).sum();
        return Map.of("distinct", (long) perId.size(), "duplicates", duplicates);
    }

    /** The log channel has no receiver: count sent rows, and check that no attempt was made twice. */
    private int sentInDatabase() {
        try {
            return (int) database.queryLong("SELECT COUNT(*) FROM message WHERE " + StatusSql.is(MessageStatus.SENT));
        } catch (Exception e) {
            return 0;
        }
    }

    private Map<String, Long> logDeliveries() throws Exception {
        long extraAttempts = database.queryLong("SELECT COUNT(*) - COUNT(DISTINCT message_id) FROM delivery");
        return Map.of("distinct", (long) sentInDatabase(), "duplicates", extraAttempts);
    }

    private List<Map<String, Object>> processFigures() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NodeProcess p : cluster.processes()) {
            rows.add(processRow(p.name(), p.cpuSeconds(), p.peakRssKiB()));
        }
        NodeProcess.Stats self = NodeProcess.Stats.of(ProcessHandle.current().pid());
        if (self != null) {
            rows.add(processRow("bench + receiver", self.cpuSeconds(), self.peakRssKiB()));
        }
        ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .findFirst()
                .map(h -> NodeProcess.Stats.of(h.pid()))
                .ifPresent(s -> rows.add(processRow("database server (whole life)", s.cpuSeconds(), s.peakRssKiB())));
        return rows;
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
        JsonNode timer = new ObjectMapper().readTree(cluster.get(admin + "/metrics").body())
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

    private Map<String, Object> perMessage(Map<String, Long> before, Map<String, Long> after, int messages) {
        Map<String, Object> figures = new LinkedHashMap<>();
        int n = Math.max(1, messages);
        figures.put("statementsPerMessage", round((after.get("Questions") - before.get("Questions")) / (double) n));
        figures.put("commitsPerMessage", round((after.get("Handler_commit") - before.get("Handler_commit")) / (double) n));
        return figures;
    }

    private Map<String, Long> databaseCounters() throws Exception {
        try (Connection c = database.serverConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Handler_commit')")) {
            Map<String, Long> counters = new HashMap<>();
            while (rs.next()) {
                counters.put(rs.getString(1), rs.getLong(2));
            }
            return counters;
        }
    }

    private int report(Path work, Map<String, Object> result) throws Exception {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("date", LocalDateTime.now().toString());
        full.put("mode", options.quick ? "quick" : options.mode);
        full.put("channel", options.channel);
        full.put("workers", options.workers);
        full.put("warmup", options.warmup);
        full.put("cores", Runtime.getRuntime().availableProcessors());
        full.put("tuning", options.tuning);
        full.putAll(result);
        Path out = options.out != null ? options.out
                : work.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()) + "-" + full.get("mode") + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), full);
        printTable(full);
        System.out.println("report written to " + out);
        boolean correct = (long) full.get("lost") == 0 && (long) full.get("duplicated") == 0;
        System.out.println(correct ? "RESULT: correct (no loss, no duplicate)" : "RESULT: WRONG: messages were lost or duplicated");
        return correct ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(Map<String, Object> r) {
        System.out.println();
        System.out.printf("%-28s %s%n", "figure", "value");
        System.out.printf("%-28s %s%n", "-".repeat(28), "-".repeat(24));
        for (String key : List.of("mode", "channel", "workers", "warmup", "accepted", "measuredMessages", "enqueuePerSecond", "offeredPerSecond",
                "messagesPerSecond", "deliverySeconds", "statementsPerMessage", "commitsPerMessage", "lost", "duplicated")) {
            if (r.containsKey(key)) {
                System.out.printf("%-28s %s%n", key, r.get(key));
            }
        }
        Map<String, Object> claim = (Map<String, Object>) r.get("claim");
        System.out.printf("%-28s %s claims; mean %s  p50 %s  p99 %s  max %s%n", "claim transaction ms", claim.get("claims"),
                claim.get("meanMillis"), claim.get("p50Millis"), claim.get("p99Millis"), claim.get("maxMillis"));
        LatencyRecorder.Summary l = (LatencyRecorder.Summary) r.get("latency");
        if (l.count() > 0) {
            System.out.printf("%-28s p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", "latency ms (enqueue->recv)",
                    l.p50Millis(), l.p95Millis(), l.p99Millis(), l.maxMillis());
        }
        System.out.println();
        System.out.printf("%-30s %12s %14s%n", "process", "CPU seconds", "peak RSS MiB");
        for (Map<String, Object> row : (List<Map<String, Object>>) r.get("processes")) {
            System.out.printf("%-30s %12s %14s%n", row.get("process"), row.get("cpuSeconds"), row.get("peakRssMiB"));
        }
        System.out.println();
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return cluster.post(url, body, apiKey);
    }

    private static String nowMicros() {
        return Long.toString(System.currentTimeMillis() * 1_000 + (System.nanoTime() / 1_000) % 1_000);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void progress(String format, Object... args) {
        System.out.printf("  " + format + "%n", args);
    }
}
