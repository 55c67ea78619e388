package io.herald.tools.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.herald.tools.cli.Args;
import io.herald.tools.cluster.Probes;
import io.herald.tools.cluster.ScratchDatabase;
import io.herald.tools.cluster.ZooKeeperEnsemble;
import io.herald.tools.drill.DrillCluster.Node;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/herald drill}: a multi-process Herald cluster on this machine (a 3-server ZooKeeper
 * ensemble, masters and workers behind cuttable proxies, webhook and SMTP receivers that record every
 * delivery), a steady stream of messages, and faults injected one scenario at a time. It ends with a
 * report of accepted, delivered, lost, duplicated, ambiguous and dead-lettered messages, refused stale
 * writes and failover times, and exits 1 if any invariant broke.
 */
public final class Drill {
    private static final int SMTP_PORT = 2625;
    /** The load's applications by unknownOutcome: today's (park) and one whose cut-off sends the reaper resends. */
    static final String PARK_APPLICATION = "drill";
    static final String RESEND_APPLICATION = "drill-resend";
    /** Workers give up on a receiver after this; the receivers' late answers come after it. */
    private static final Duration RECEIVER_TIMEOUT = Duration.ofSeconds(2);
    private static final long LATE_ANSWER_MILLIS = RECEIVER_TIMEOUT.toMillis() + 1_000;

    private final DrillOptions options;
    private final ScratchDatabase database;
    private final HeraldTables tables;
    private final FaultPlan faults;
    private final DeliveryLedger ledger;
    private final long startNanos = System.nanoTime();
    private volatile String currentScenario = "starting";
    private volatile int scenariosDone;

    private Drill(DrillOptions options) {
        this.options = options;
        this.database = new ScratchDatabase("herald_drill", options.root.resolve(".herald/drill"));
        this.tables = new HeraldTables(database);
        this.faults = new FaultPlan(options.seed);
        this.ledger = new DeliveryLedger(faults);
    }

    public static void main(String[] args) {
        try {
            System.exit(new Drill(DrillOptions.parse(args)).run());
        } catch (Args.UsageException e) {
            System.err.println("herald drill: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("herald drill: failed: " + e);
            System.exit(1);
        }
    }

    /** The step-down bound for a leader that cannot reach MySQL, as the drill configures it. */
    private Duration databaseStepDown() {
        return options.sessionTimeout;
    }

    private Map<String, String> nodeEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOG_LEVEL", "INFO");
        // Nine JVMs share the server's connections (151 by default on MySQL and MariaDB); the drill's load needs few.
        env.put("DB_POOL_SIZE", "6");
        env.put("ZK_SESSION_TIMEOUT", options.sessionTimeout.toMillis() + "ms");
        env.put("MASTER_DISPATCH_LEASE", options.lease.toMillis() + "ms");
        env.put("MASTER_REAP_INTERVAL", "500ms");
        env.put("MASTER_DB_FAILURE_STEP_DOWN", databaseStepDown().toMillis() + "ms");
        env.put("DB_SOCKET_TIMEOUT", databaseStepDown().toMillis() / 2 + "ms");
        env.put("MASTER_STALLED_TRANSACTION_TIMEOUT", Math.max(1, options.sessionTimeout.toSeconds() / 2) + "s");
        env.put("WORKER_SEND_LEASE", options.lease.multipliedBy(2).toMillis() + "ms");
        env.put("WORKER_MAX_ATTEMPTS", "8");
        env.put("WORKER_RETRY_BACKOFF_BASE", "200ms");
        env.put("WORKER_RETRY_BACKOFF_MAX", "2s");
        // Webhooks: the same 8 attempts on the drill's time scale, not the default day-long schedule.
        env.put("WEBHOOK_RETRY_SCHEDULE", "200ms, 400ms, 800ms, 1600ms, 2s, 2s, 2s");
        env.put("WEBHOOK_REQUEST_TIMEOUT", RECEIVER_TIMEOUT.toMillis() + "ms");
        env.put("SMTP_TIMEOUT", RECEIVER_TIMEOUT.toMillis() + "ms");
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(SMTP_PORT));
        env.put("SMTP_FROM", "drill@herald.test");
        return env;
    }

    private int run() throws Exception {
        Path work = options.root.resolve(".herald/drill");
        System.out.printf("herald drill: seed %d, %d masters, %d workers, %d msg/s, session timeout %d ms; logs in %s%n",
                options.seed, options.masters, options.workers, options.rate, options.sessionTimeout.toMillis(), work.resolve("logs"));
        database.recreate();
        step("database: %s", database.description());
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        try (WebhookSink webhook = new WebhookSink(ledger, LATE_ANSWER_MILLIS);
                SmtpSink smtp = new SmtpSink(ledger, SMTP_PORT, LATE_ANSWER_MILLIS);
                DrillCluster cluster = new DrillCluster(options.root, work, database, nodeEnvironment())) {
            step("starting a 3-server ZooKeeper ensemble, %d masters and %d workers", options.masters, options.workers);
            cluster.start(options.masters, options.workers);
            List<LoadGenerator.Application> applications = createApplications(cluster);
            cluster.apiKey(applications.get(0).authorization().substring("Bearer ".length()));
            Node leader = cluster.awaitLeader(Duration.ofSeconds(60));
            step("cluster up; %s leads", leader.id);
            List<String> apis = cluster.masters().stream().map(Node::api).toList();
            LoadGenerator load = new LoadGenerator(apis, webhook.url(), "drill@herald.test", options.rate, options.messages, options.seed);
            load.applications(applications);
            load.start();
            progress.scheduleAtFixedRate(() -> printProgress(load), 2, 2, TimeUnit.SECONDS);
            Probes.awaitCondition(Duration.ofSeconds(60), "the first delivery", () -> ledger.delivered() > 0);

            List<ScenarioResult> results = runScenarios(cluster, load);
            currentScenario = "settling";
            load.stop();
            step("load stopped after %,d messages; waiting for every message to finish", load.accepted().size());
            Set<Long> requeued = settle(cluster);
            progress.shutdownNow();
            Set<Long> accepted = new HashSet<>(load.accepted().keySet());
            Verdict verdict = Verdict.of(accepted, ledger, tables.deadLetters(), tables.ambiguousAttempts(), tables.acceptedTokens(),
                    tables.unfinished()).withResends(accepted, ledger, new HashSet<>(tables.resentAfterUnknown()),
                    options.unknownOutcomes().contains("resend") ? tables.parkedWithAttemptsLeft(RESEND_APPLICATION) : 0);
            if (load.exhausted()) {
                step("note: the load reached --messages before the last scenario ended");
            }
            return report(work, results, verdict, requeued.size(), tables.statusCounts());
        } finally {
            progress.shutdownNow();
            database.close();
        }
    }

    /** One application per --unknown-outcome choice, each with its key; the resending one set to resend. */
    private List<LoadGenerator.Application> createApplications(DrillCluster cluster) throws Exception {
        List<LoadGenerator.Application> applications = new ArrayList<>();
        Node first = cluster.masters().get(0);
        for (String outcome : options.unknownOutcomes()) {
            String name = outcome.equals("resend") ? RESEND_APPLICATION : PARK_APPLICATION;
            String key = cluster.local().createApplication(first.admin(), name);
            step("application %s: %s", name, cluster.task(first, "app-unknown-outcome?application=" + name + "&unknownOutcome=" + outcome).strip());
            applications.add(new LoadGenerator.Application(name, "Bearer " + key));
        }
        return applications;
    }

    private List<ScenarioResult> runScenarios(DrillCluster cluster, LoadGenerator load) throws Exception {
        List<ScenarioResult> results = new ArrayList<>();
        ZooKeeperView zooKeeper = new ZooKeeperView(ZooKeeperEnsemble.connectString(
                List.of(cluster.zooKeeper().clientPort(1), cluster.zooKeeper().clientPort(2), cluster.zooKeeper().clientPort(3))));
        try {
            Scenarios scenarios = new Scenarios(cluster, tables, faults, zooKeeper, ledger::delivered, options, databaseStepDown());
            for (Scenario scenario : options.scenarios) {
                currentScenario = scenario.wireName;
                step("scenario %d/%d: %s: %s", scenariosDone + 1, options.scenarios.size(), scenario.wireName, scenario.description);
                ScenarioResult result = new ScenarioResult(scenario.wireName);
                long start = System.nanoTime();
                try {
                    scenarios.run(scenario, result);
                } catch (Exception e) {
                    result.check("the scenario ran to its end", false, e.toString());
                }
                result.seconds = Waits.millisSince(start) / 1_000;
                results.add(result);
                scenariosDone++;
            }
        } finally {
            zooKeeper.close();
        }
        return results;
    }

    /**
     * Waits until no message is queued, dispatched or sending. Messages left {@code unknown} (a worker
     * died between sending and recording) are then requeued, as an operator would, and waited for too.
     */
    private Set<Long> settle(DrillCluster cluster) throws Exception {
        Duration limit = options.lease.multipliedBy(4).plusSeconds(120);
        awaitStatuses(limit, () -> tables.unfinished() - tables.idsWithStatus("unknown").size() == 0);
        Set<Long> unknown = new HashSet<>(tables.idsWithStatus("unknown"));
        if (!unknown.isEmpty()) {
            step("requeueing %d messages left 'unknown', as an operator would (their repeats count as ambiguous)", unknown.size());
            Node leader = cluster.awaitLeader(Duration.ofSeconds(60));
            cluster.task(leader, "requeue?status=unknown");
            awaitStatuses(limit, () -> tables.unfinished() == 0);
        }
        return unknown;
    }

    private void awaitStatuses(Duration limit, Probes.Condition finished) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!finished.holds() && System.nanoTime() < deadline) {
            step("  statuses: %s", tables.statusCounts());
            Thread.sleep(2_000);
        }
    }

    private void printProgress(LoadGenerator load) {
        try {
            HeraldTables.Fence fence = tables.fence();
            step("[%4ds] accepted %,d  delivered %,d  scenarios done %d/%d (now: %s)  leader %s (token %d)",
                    Waits.millisSince(startNanos) / 1_000, load.accepted().size(), ledger.delivered(), scenariosDone,
                    options.scenarios.size(), currentScenario, fence.holder(), fence.token());
        } catch (Exception e) {
            step("[%4ds] (progress unavailable: %s)", Waits.millisSince(startNanos) / 1_000, e.getMessage());
        }
    }

    private int report(Path work, List<ScenarioResult> results, Verdict verdict, int requeuedUnknown, Map<String, Long> statuses)
            throws Exception {
        boolean scenariosPassed = results.stream().allMatch(ScenarioResult::passed);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDateTime.now().toString());
        json.put("seed", options.seed);
        json.put("masters", options.masters);
        json.put("workers", options.workers);
        json.put("rate", options.rate);
        json.put("sessionTimeoutMillis", options.sessionTimeout.toMillis());
        json.put("leaseMillis", options.lease.toMillis());
        json.put("unknownOutcome", options.unknownOutcome);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("totals", verdict);
        json.put("operatorRequeuedUnknown", requeuedUnknown);
        json.put("staleWritesRefused", results.stream().mapToLong(r -> ((Number) r.figures.getOrDefault("staleWritesRefused", 0L)).longValue()).sum());
        json.put("finalStatuses", statuses);
        json.put("scenarios", results.stream().map(ScenarioResult::toJson).toList());
        json.put("passed", scenariosPassed && verdict.holds());
        Path out = options.out != null ? options.out
                : work.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()) + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
        DrillTable.print(results, verdict, requeuedUnknown, (long) json.get("staleWritesRefused"));
        System.out.println("report written to " + out);
        if (scenariosPassed && verdict.holds()) {
            System.out.println("RESULT: every invariant held (seed " + options.seed + ")");
            return 0;
        }
        System.out.println("RESULT: BROKEN (seed " + options.seed + "; repeat with --seed " + options.seed + ")");
        return 1;
    }

    /** Progress lines carry the wall-clock time, to line them up with the nodes' logs. */
    private static void step(String format, Object... args) {
        System.out.printf("%s " + format + "%n", prepend(LocalTime.now().truncatedTo(ChronoUnit.MILLIS), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
