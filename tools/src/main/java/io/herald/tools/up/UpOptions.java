package io.herald.tools.up;

import io.herald.tools.cli.Args;
import java.nio.file.Path;
import java.util.List;

/** Command-line options of {@code bin/herald up}; every bad value is a one-line error. */
final class UpOptions {
    static final String USAGE = """
            Usage: bin/herald up [options]
              --zk-port N       ZooKeeper's client port (default 2181)
              --first-port N    the first master's API port (default 8080): masters on N and N+2, workers on
                                N+10 and N+12, each with its admin port one above
              --work DIR        logs, ZooKeeper's data and the embedded MariaDB's data (default .herald/local)
            """;

    Path root = Path.of(".").toAbsolutePath().normalize();
    Path work;
    int zooKeeperPort = 2181;
    int firstPort = 8080;

    static UpOptions parse(String[] argv) {
        UpOptions o = new UpOptions();
        Args args = new Args(argv);
        while (args.hasNext()) {
            switch (args.nextFlag()) {
                case "--root" -> o.root = Path.of(args.value()).toAbsolutePath().normalize();
                case "--zk-port" -> o.zooKeeperPort = port(args);
                case "--first-port" -> o.firstPort = port(args);
                case "--work" -> o.work = Path.of(args.value()).toAbsolutePath().normalize();
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw args.unknown("up");
            }
        }
        if (o.firstPort > 65_535 - 13) {
            throw new Args.UsageException("--first-port must leave room for the 13 ports above it, so at most " + (65_535 - 13));
        }
        if (o.work == null) {
            o.work = o.root.resolve(".herald/local");
        }
        return o;
    }

    private static int port(Args args) {
        int port = args.positive();
        if (port > 65_535) {
            throw new Args.UsageException("a port is at most 65535, not " + port);
        }
        return port;
    }

    /** Two masters, then two workers: the start order (stop is the reverse). */
    List<NodeSpec> nodes() {
        return List.of(new NodeSpec("master-1", true, firstPort), new NodeSpec("master-2", true, firstPort + 2),
                new NodeSpec("worker-1", false, firstPort + 10), new NodeSpec("worker-2", false, firstPort + 12));
    }
}
