package io.herald.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.tools.cli.Args;
import io.herald.tools.cluster.Probes;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import io.herald.tools.cluster.ScratchDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    static final int RECEIVER_PROCESS_PORT = 8170;
    private static final int SMTP_PORT = 2525;
    private static final String BUDGETS = "tools/bench-budgets.properties";
    static final ObjectMapper JSON = new ObjectMapper();

    private final BenchOptions options;
    private final ScratchDatabase database;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ScheduledExecutorService sampler = Executors.newScheduledThreadPool(2);
    private final Map<String, Timeline> timelines = new LinkedHashMap<>();
    private LocalCluster cluster;
    private FlightRecording recording;
    private String api;
    private String admin;
    private final List<String> workerAdmins = new ArrayList<>();
    private String apiKey;
    private ProcessFigures figures;
    private Deliveries deliveries;

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
            if (Probes.portInUse(port)) {
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
        cluster.nodeJvmOptions(id -> concat(LocalCluster.NODE_JVM_OPTIONS, recording.jvmOptions(id)));
        figures = new ProcessFigures(cluster, recording, selfName(), options.profile);
        deliveries = new Deliveries(cluster, database, workerAdmins, options);
        Map<String, Object> result;
        try {
            result = e2e ? EndToEnd.run(this, options, database) : local();
        } finally {
            sampler.shutdownNow();
            cluster.close();
            database.close();
        }
        progress("reading the flight recordings in %s", work.resolve("jfr"));
        result.put("processes", figures.rows(measuredMessages(result)));
        return new BenchReport(options, timelines, latency, figures).write(work, result, budgets);
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
                case "log" -> deliveries::sentByWorkers;
                default -> receiver::distinct;
            };
            LocalLoad load = new LocalLoad(this, options, database, deliveries);
            Map<String, Object> result = options.mode.equals("drain") ? load.drain(targets, delivered) : load.steady(targets, delivered);
            Map<String, Long> arrived = switch (options.channel) {
                case "email" -> Deliveries.email(smtp);
                case "log" -> deliveries.log();
                default -> Map.of("distinct", (long) receiver.distinct(), "duplicates", receiver.duplicates());
            };
            long accepted = (long) result.get("accepted") - targets.toSlow();
            result.put("lost", accepted - arrived.get("distinct"));
            result.put("duplicated", arrived.get("duplicates"));
            if (options.slowReceiver != null) {
                result.put("healthyDestinations", options.receivers);
                result.put("slowDestination", options.slowReceiver.toString());
                result.put("sentToSlowDestination", targets.toSlow());
                result.put("slowDestinationRequests", receiver.slowArrivals());
            }
            result.put("latency", latency.summary());
            result.put("claim", figures.claimFigures(admin));
            cluster.sampleAll();
            return result;
        } finally {
            if (smtp != null) {
                smtp.stop();
            }
        }
    }

    Timeline timeline(String system) {
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
    List<NodeProcess> startCluster(int masters, int workers, String masterHeap, String workerHeap) throws Exception {
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
        Probes.awaitCondition(Duration.ofSeconds(30), "leader election",
                () -> cluster.get(api + "/v1/cluster", apiKey).body().contains("\"leader\":\"bench-master"));
        return nodes;
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

    private String selfName() {
        return options.against == null ? "bench + receiver" : "bench (client, db-scheduler)";
    }

    private static long measuredMessages(Map<String, Object> result) {
        return ((Number) result.getOrDefault("measuredMessages", 0L)).longValue();
    }

    LocalCluster cluster() {
        return cluster;
    }

    String admin() {
        return admin;
    }

    ScheduledExecutorService sampler() {
        return sampler;
    }

    ProcessFigures figures() {
        return figures;
    }

    LatencyRecorder latency() {
        return latency;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return cluster.post(api + path, body, apiKey);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void progress(String format, Object... args) {
        System.out.printf("  " + format + "%n", args);
    }
}
