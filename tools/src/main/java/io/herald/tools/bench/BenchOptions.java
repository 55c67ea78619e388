package io.herald.tools.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        boolean messagesGiven = false;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--quick" -> o.quick = true;
                case "--root" -> o.root = Path.of(value(flag, rest));
                case "--out" -> o.out = Path.of(value(flag, rest));
                case "--mode" -> o.mode = oneOf(flag, value(flag, rest), "drain", "steady");
                case "--channel" -> o.channel = oneOf(flag, value(flag, rest), "webhook", "email", "log");
                case "--messages" -> {
                    o.messages = positive(flag, value(flag, rest));
                    messagesGiven = true;
                }
                case "--rate" -> o.rate = positive(flag, value(flag, rest));
                case "--duration" -> o.durationSeconds = positive(flag, value(flag, rest));
                case "--warmup" -> o.warmup = number(flag, value(flag, rest), 0);
                case "--workers" -> o.workers = positive(flag, value(flag, rest));
                case "--claim-batch" -> o.tuning.put("MASTER_CLAIM_BATCH_SIZE", Integer.toString(positive(flag, value(flag, rest))));
                case "--task-size" -> o.tuning.put("MASTER_TASK_SIZE", Integer.toString(positive(flag, value(flag, rest))));
                case "--max-queued-tasks" -> o.tuning.put("MASTER_MAX_QUEUED_TASKS", Integer.toString(positive(flag, value(flag, rest))));
                case "--max-in-flight" -> o.tuning.put("WORKER_MAX_IN_FLIGHT", Integer.toString(positive(flag, value(flag, rest))));
                case "--smtp-connections" -> o.tuning.put("SMTP_CONNECTIONS", Integer.toString(positive(flag, value(flag, rest))));
                case "-h", "--help" -> throw new UsageException(USAGE);
                default -> throw new UsageException("unknown option '" + flag + "'; see bin/herald bench --help");
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

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) {
            throw new UsageException(flag + " needs a value");
        }
        return rest.remove(0);
    }

    private static int positive(String flag, String value) {
        return number(flag, value, 1);
    }

    private static int number(String flag, String value, int min) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a " + (min > 0 ? "positive" : "non-negative") + " whole number, not '" + value + "'");
    }

    private static String oneOf(String flag, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new UsageException(flag + " must be one of " + String.join("|", allowed) + ", not '" + value + "'");
    }

    /** Bad command-line input: printed as one line, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
