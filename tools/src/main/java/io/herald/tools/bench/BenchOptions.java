package io.herald.tools.bench;

import java.nio.file.Path;
import io.herald.tools.cli.Args;
import io.herald.tools.cli.Args.UsageException;
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
    Path root = Path.of(".");
    Path out;
    /** Herald settings passed to every node as environment variables. */
    final Map<String, String> tuning = new LinkedHashMap<>();

    static final String USAGE = """
            Usage: bin/herald bench [options]
              --mode drain|steady     drain: enqueue all, then time delivery; steady: offered load (default drain)
              --messages N            messages for drain (default 200000; email default 20000)
              --rate R                offered messages/s for steady (default 2000)
              --duration S            seconds of offered load for steady (default 60)
              --workers N             worker processes (default 2)
              --channel webhook|email|log  (default webhook; log is a no-op send, checked in the database)
              --claim-batch N         master.claimBatchSize
              --task-size N           master.taskSize
              --max-queued-tasks N    master.maxQueuedTasks
              --max-in-flight N       worker.maxInFlight
              --smtp-connections N    smtp.connections
              --warmup N              unmeasured warm-up first: N messages for drain (default 20000),
                                      N seconds for steady (default 15); 0 for none
              --quick                 a small drain that only checks the result (no loss, no duplicate)
              --out FILE              where to write the JSON report (default .herald/bench/<time>-<mode>.json)
            """;

    static BenchOptions parse(String[] argv) {
        BenchOptions o = new BenchOptions();
        boolean messagesGiven = false;
        Args args = new Args(argv);
        while (args.hasNext()) {
            switch (args.nextFlag()) {
                case "--quick" -> o.quick = true;
                case "--root" -> o.root = Path.of(args.value());
                case "--out" -> o.out = Path.of(args.value());
                case "--mode" -> o.mode = args.oneOf("drain", "steady");
                case "--channel" -> o.channel = args.oneOf("webhook", "email", "log");
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
        if (o.quick) {
            o.mode = "drain";
            o.messages = messagesGiven ? o.messages : 2_000;
            o.warmup = o.warmup < 0 ? 0 : o.warmup;
        } else if (!messagesGiven && o.channel.equals("email")) {
            o.messages = 20_000;
        }
        if (o.warmup < 0) {
            o.warmup = o.mode.equals("drain") ? 20_000 : 15;
        }
        if (o.mode.equals("steady") && !o.channel.equals("webhook")) {
            throw new UsageException("--mode steady measures latency at the webhook receiver; use --channel webhook");
        }
        return o;
    }
}
