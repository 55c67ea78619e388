package io.herald.tools.bench;

import io.herald.tools.cli.Args;
import io.herald.tools.cli.Args.UsageException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options of {@code bin/herald bench}; every bad value is a one-line error. */
final class BenchOptions {
    String mode = "drain";
    int messages = 200_000;
    int rate = 2_000;
    int durationSeconds = 60;
    int workers = 2;
    String channel = "webhook";
    /** Warm-up before measuring: messages for drain, seconds for steady; -1 means the mode's default. */
    int warmup = -1;
    boolean quick;
    boolean profile;
    /** The system to compare with in e2e mode, or null. */
    String against;
    /** The one slow destination's behaviour, or null for none. */
    SlowMode slowReceiver;
    /** Healthy webhook destinations (distinct ports). */
    int receivers = 1;
    long prefill;
    Path root = Path.of(".");
    Path out;
    /** The budgets to check; null: the committed file with --quick, none otherwise. */
    Path budgets;
    /** Herald settings passed to every node as environment variables. */
    final Map<String, String> tuning = new LinkedHashMap<>();

    static final String USAGE = """
            Usage: bin/herald bench [options]
              --mode drain|steady|e2e drain: enqueue all with dispatch paused, then time delivery; steady: offered
                                      load, latency from each message's scheduled send time (HdrHistogram);
                                      e2e: the bin/herald up topology (2 masters, 2 workers, config.yml defaults),
                                      one sequential client enqueueing in batches of 1,000 while dispatch runs,
                                      into a receiver in another process (default drain)
              --messages N            messages for drain (default 200000; email 20000) and e2e (default 50000)
              --rate R                offered messages/s for steady (default 2000)
              --duration S            seconds of offered load for steady (default 60)
              --workers N             worker processes for drain and steady (default 2)
              --channel webhook|email|log  (default webhook; log is a no-op send, checked in the database)
              --claim-batch N         master.claimBatchSize
              --task-size N           master.taskSize
              --max-queued-tasks N    master.maxQueuedTasks
              --max-in-flight N       worker.maxInFlight
              --smtp-connections N    smtp.connections
              --warmup N              unmeasured warm-up first: N messages for drain (default 20000; quick 1000),
                                      N seconds for steady (default 15); 0 for none; e2e has none
              --quick                 a small drain that checks the result (no loss, no duplicate) and the
                                      budgets of tools/bench-budgets.properties (work per message)
              --budgets FILE          check these budgets (default: the committed file, with --quick only)
              --profile               print each Herald process's top frames by CPU and by allocation (JFR)
              --against db-scheduler  e2e: then drain the same webhooks through db-scheduler (32 threads,
                                      lock-and-fetch) on the same database into the same receiver
              --slow-receiver MODE    one more destination that answers after MODE (5s, 800ms) or never;
                                      the report gives the healthy destinations' throughput
              --receivers N           healthy webhook destinations, one port each (default 1; 8 with --slow-receiver)
              --prefill N             insert N already-sent messages (with dedup keys and audit trail) first
              --out FILE              where to write the JSON report (default .herald/bench/<time>-<mode>.json;
                                      the HTML report and PNG charts go beside it)
            """;

    static BenchOptions parse(String[] argv) {
        BenchOptions o = new BenchOptions();
        boolean messagesGiven = false;
        boolean modeGiven = false;
        boolean receiversGiven = false;
        Args args = new Args(argv);
        while (args.hasNext()) {
            switch (args.nextFlag()) {
                case "--quick" -> o.quick = true;
                case "--profile" -> o.profile = true;
                case "--root" -> o.root = Path.of(args.value());
                case "--out" -> o.out = Path.of(args.value());
                case "--budgets" -> o.budgets = Path.of(args.value());
                case "--mode" -> {
                    o.mode = args.oneOf("drain", "steady", "e2e");
                    modeGiven = true;
                }
                case "--channel" -> o.channel = args.oneOf("webhook", "email", "log");
                case "--against" -> o.against = args.oneOf("db-scheduler");
                case "--slow-receiver" -> o.slowReceiver = SlowMode.parse(args.value());
                case "--receivers" -> {
                    o.receivers = args.positive();
                    if (o.receivers > 64) {
                        throw new UsageException("--receivers must be at most 64, not " + o.receivers);
                    }
                    receiversGiven = true;
                }
                case "--prefill" -> o.prefill = args.positive();
                case "--messages" -> {
                    o.messages = args.positive();
                    messagesGiven = true;
                }
                case "--rate" -> o.rate = args.positive();
                case "--duration" -> o.durationSeconds = args.positive();
                case "--warmup" -> o.warmup = args.number(0);
                case "--workers" -> o.workers = args.positive();
                case "--claim-batch" -> o.tuning.put("MASTER_CLAIM_BATCH_SIZE", Integer.toString(args.positive()));
                case "--task-size" -> o.tuning.put("MASTER_TASK_SIZE", Integer.toString(args.positive()));
                case "--max-queued-tasks" -> o.tuning.put("MASTER_MAX_QUEUED_TASKS", Integer.toString(args.positive()));
                case "--max-in-flight" -> o.tuning.put("WORKER_MAX_IN_FLIGHT", Integer.toString(args.positive()));
                case "--smtp-connections" -> o.tuning.put("SMTP_CONNECTIONS", Integer.toString(args.positive()));
                case "-h", "--help" -> throw new UsageException(USAGE);
                default -> throw args.unknown("bench");
            }
        }
        if (o.against != null && !modeGiven) {
            o.mode = "e2e";
        }
        if (o.slowReceiver != null && !receiversGiven) {
            o.receivers = 8;
        }
        if (o.quick) {
            if (modeGiven && !o.mode.equals("drain")) {
                throw new UsageException("--quick is a drain; leave out --mode " + o.mode);
            }
            o.mode = "drain";
            o.messages = messagesGiven ? o.messages : 2_000;
            o.warmup = o.warmup < 0 ? 1_000 : o.warmup;
        } else if (!messagesGiven) {
            o.messages = o.mode.equals("e2e") ? 50_000 : o.channel.equals("email") ? 20_000 : o.messages;
        }
        validateCombinations(o);
        if (o.warmup < 0) {
            o.warmup = switch (o.mode) {
                case "drain" -> 20_000;
                case "steady" -> 15;
                default -> 0;
            };
        }
        return o;
    }

    private static void validateCombinations(BenchOptions o) {
        if (o.mode.equals("steady") && !o.channel.equals("webhook")) {
            throw new UsageException("--mode steady measures latency at the webhook receiver; use --channel webhook");
        }
        if (o.against != null && !o.mode.equals("e2e")) {
            throw new UsageException("--against compares end to end; use it with --mode e2e (or without --mode)");
        }
        if (o.mode.equals("e2e")) {
            if (!o.channel.equals("webhook")) {
                throw new UsageException("--mode e2e sends webhooks into a receiver process; use --channel webhook");
            }
            if (o.warmup >= 0) {
                throw new UsageException("--mode e2e measures cold, as a new user sees it; leave out --warmup");
            }
            if (!o.tuning.isEmpty()) {
                throw new UsageException("--mode e2e runs with the defaults of config.yml; leave out the tuning options");
            }
            if (o.slowReceiver != null) {
                throw new UsageException("--slow-receiver works with --mode drain or steady");
            }
        }
        if ((o.slowReceiver != null || o.receivers > 1) && !o.channel.equals("webhook")) {
            throw new UsageException("--slow-receiver and --receivers need --channel webhook");
        }
    }
}
