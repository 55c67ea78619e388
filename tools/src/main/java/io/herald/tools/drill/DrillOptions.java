package io.herald.tools.drill;

import io.herald.tools.cli.Args;
import io.herald.tools.cli.Args.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@code bin/herald drill}; every bad value is a one-line error. */
final class DrillOptions {
    int masters = 3;
    int workers = 3;
    int rate = 100;
    int messages = 50_000;
    List<Scenario> scenarios = List.of(Scenario.values());
    long seed = System.currentTimeMillis() % 1_000_000;
    Duration sessionTimeout = Duration.ofSeconds(4);
    Duration lease = Duration.ofSeconds(5);
    /** Which unknownOutcome the load's applications use: park (application drill), resend (drill-resend), or both. */
    String unknownOutcome = "both";
    Path root = Path.of(".");
    Path out;

    static final String USAGE = """
            Usage: bin/herald drill [options]
              --scenarios LIST     comma-separated scenarios, or all (default all):
            %s
              --masters N          master processes, 2 to 5 (default 3)
              --workers N          worker processes, 1 to 6 (default 3)
              --rate R             messages/s offered during the drill, half webhook, half email (default 100)
              --messages N         stop offering after N messages even if scenarios remain (default 50000)
              --seed S             seed for the choice of victims and receiver faults (default: from the clock;
                                   the report prints it so that a run can be repeated)
              --session-timeout D  ZooKeeper session timeout of every node, 2s to 10s (default 4s)
              --lease D            dispatch lease; a worker's send lease is twice this (default 5s)
              --unknown-outcome O  park, resend or both (default both): the load's applications' choice for a send
                                   whose worker died (both: every tick, a batch from each of two applications)
              --out FILE           where to write the JSON report (default .herald/drill/<time>.json)
            Durations are written like 500ms, 4s or 2m. Exit 0: every invariant held; 1: one broke; 2: bad options.
            """.formatted(Scenario.help("                     "));

    static DrillOptions parse(String[] argv) {
        DrillOptions o = new DrillOptions();
        Args args = new Args(argv);
        while (args.hasNext()) {
            switch (args.nextFlag()) {
                case "--root" -> o.root = Path.of(args.value());
                case "--out" -> o.out = Path.of(args.value());
                case "--scenarios" -> o.scenarios = scenarios(args.value());
                case "--masters" -> o.masters = within("--masters", args.positive(), 2, 5);
                case "--workers" -> o.workers = within("--workers", args.positive(), 1, 6);
                case "--rate" -> o.rate = within("--rate", args.positive(), 1, 2_000);
                case "--messages" -> o.messages = args.positive();
                case "--seed" -> o.seed = args.number(0);
                case "--session-timeout" -> o.sessionTimeout = between("--session-timeout", args.duration(), 2, 10);
                case "--lease" -> o.lease = between("--lease", args.duration(), 1, 600);
                case "--unknown-outcome" -> o.unknownOutcome = outcome(args.value());
                case "-h", "--help" -> throw new UsageException(USAGE);
                default -> throw args.unknown("drill");
            }
        }
        return o;
    }

    /** The unknownOutcome of each application the load sends as (one batch each per tick). */
    List<String> unknownOutcomes() {
        return unknownOutcome.equals("both") ? List.of("park", "resend") : List.of(unknownOutcome);
    }

    private static String outcome(String value) {
        if (!List.of("park", "resend", "both").contains(value)) {
            throw new UsageException("--unknown-outcome must be park, resend or both, not '" + value + "'");
        }
        return value;
    }

    private static List<Scenario> scenarios(String value) {
        if (value.equals("all")) {
            return List.of(Scenario.values());
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String name : value.split(",")) {
            Scenario s = Scenario.named(name.trim());
            if (s == null) {
                throw new UsageException("--scenarios: unknown scenario '" + name.trim() + "'; known: all, " + Scenario.names());
            }
            chosen.add(s);
        }
        return chosen;
    }

    private static int within(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new UsageException(flag + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    private static Duration between(String flag, Duration value, int minSeconds, int maxSeconds) {
        if (value.compareTo(Duration.ofSeconds(minSeconds)) < 0 || value.compareTo(Duration.ofSeconds(maxSeconds)) > 0) {
            throw new UsageException(flag + " must be between " + minSeconds + "s and " + maxSeconds + "s, not " + value.toMillis() + "ms");
        }
        return value;
    }
}
