package io.herald.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operators' commands over the cluster, each an admin task: {@code cluster}, {@code dispatch
 * pause|resume}, {@code step-down} (sent to the leader) and {@code drain} (sent to a worker). The
 * leader's and a worker's admin addresses come from the {@code cluster} task, as the nodes registered
 * them; {@code --at} names one instead, for a node whose registered address is not reachable from here.
 */
final class ClusterCommands {
    private ClusterCommands() {}

    /** The {@code cluster} task's view: who leads, and every live node with its addresses. */
    static JsonNode view(HeraldCli cli, HeraldClient client) {
        try {
            return cli.mapper().readTree(client.task("cluster", Query.of()));
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the cluster task answered something that is not JSON");
        }
    }

    static Optional<String> adminOf(JsonNode view, String group, String id) {
        return StreamSupport.stream(view.path(group).spliterator(), false)
                .filter(n -> id.equals(n.path("id").asText())).map(n -> n.path("admin").asText()).findFirst();
    }

    /** {@code --at}: the node's admin address, for when the one it registered cannot be reached from here. */
    static final class NodeAddress {
        @Option(names = "--at", paramLabel = "URL", description = "The node's admin address, instead of the one it registered in ZooKeeper.")
        String at;

        String or(Supplier<String> registered) {
            return at != null ? at : registered.get();
        }
    }

    /** A command run on one node's admin port: the leader's, a worker's, or the one {@code --at} names. */
    abstract static class NodeCommand implements java.util.concurrent.Callable<Integer> {
        final HeraldCli cli;

        @Mixin
        NodeAddress at;

        NodeCommand(HeraldCli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            return run(cli.client());
        }

        abstract int run(HeraldClient client);
    }

    @Command(name = "cluster", description = "The leader and every live master and worker with its addresses.")
    static final class Cluster implements java.util.concurrent.Callable<Integer> {
        private final HeraldCli cli;

        Cluster(HeraldCli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            JsonNode view = view(cli, cli.client());
            String leader = MessagesCommand.text(view, "leader");
            Table table = Table.of("NODE", "ROLE", "API", "ADMIN");
            for (String group : new String[] {"masters", "workers"}) {
                view.path(group).forEach(n -> table.row(n.path("id").asText(),
                        n.path("id").asText().equals(leader) ? "leader" : n.path("role").asText(), n.path("api").asText(), n.path("admin").asText()));
            }
            cli.output().answer(view, (leader == null ? "no leader now\n" : "leader: " + leader + "\n") + table.render());
            return 0;
        }
    }

    @Command(name = "dispatch", description = "Pause or resume dispatch cluster-wide (messages are still accepted while paused).")
    static final class Dispatch {
        private final HeraldCli cli;

        Dispatch(HeraldCli cli) {
            this.cli = cli;
        }

        @Command(name = "pause", description = "Stop handing messages to workers, on every master.")
        int pause() {
            return run("pause-dispatch", true);
        }

        @Command(name = "resume", description = "Dispatch again.")
        int resume() {
            return run("resume-dispatch", false);
        }

        private int run(String task, boolean paused) {
            String line = cli.client().task(task, Query.of()).strip();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("paused", paused);
            answer.put("message", line);
            cli.output().answer(answer, line);
            return 0;
        }
    }

    @Command(name = "step-down", description = "The leader gives up leadership; waits until another master leads.")
    static final class StepDown extends NodeCommand {
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long to wait for the new leader (default ${DEFAULT-VALUE}).")
        Duration timeout;

        StepDown(HeraldCli cli) {
            super(cli);
        }

        @Override
        int run(HeraldClient client) {
            JsonNode view = view(cli, client);
            String previous = MessagesCommand.text(view, "leader");
            if (previous == null) {
                throw new CliException(CliException.FAILED, "no master leads now; nothing to step down");
            }
            String admin = at.or(() -> adminOf(view, "masters", previous)
                    .orElseThrow(() -> new CliException(CliException.FAILED, "the leader " + previous + " has no registered admin address; give --at")));
            cli.output().progress(client.task(admin, "step-down", Query.of(), HeraldClient.DEFAULT_TIMEOUT).strip());
            Instant deadline = Instant.now().plus(timeout);
            String leader = previous;
            while (previous.equals(leader) || leader == null) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new CliException(CliException.FAILED, "no other master took over within " + timeout.toSeconds() + " s (leader: "
                            + (leader == null ? "none" : leader) + ")");
                }
                pause();
                leader = MessagesCommand.text(view(cli, client), "leader");
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("previous", previous);
            answer.put("leader", leader);
            cli.output().answer(answer, previous + " stepped down; " + leader + " leads now");
            return 0;
        }
    }

    @Command(name = "drain", description = "A worker takes no new tasks and finishes the ones it holds; shows how many are left.")
    static final class Drain extends NodeCommand {
        private static final Pattern IN_FLIGHT = Pattern.compile("(\\d+) task\\(s\\) still in flight");
        private static final long ROUND_SECONDS = 5;

        @Parameters(paramLabel = "WORKER", description = "The worker's id, as bin/herald cluster lists it.")
        String worker;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long to wait for its tasks to finish (default ${DEFAULT-VALUE}); exit 1 if they have not.")
        Duration wait;

        @Option(names = "--resume", description = "Undo a drain: the worker takes tasks again.")
        boolean resume;

        Drain(HeraldCli cli) {
            super(cli);
        }

        @Override
        int run(HeraldClient client) {
            String admin = at.or(() -> adminOf(view(cli, client), "workers", worker)
                    .orElseThrow(() -> new CliException(CliException.FAILED, "no live worker named '" + worker + "' (bin/herald cluster lists them)")));
            if (resume) {
                String line = client.task(admin, "resume-tasks", Query.of(), HeraldClient.DEFAULT_TIMEOUT).strip();
                cli.output().answer(Map.of("worker", worker, "draining", false, "message", line), worker + ": " + line);
                return 0;
            }
            Instant deadline = Instant.now().plus(wait);
            String line;
            while (true) {
                long round = Math.max(0, Math.min(ROUND_SECONDS, Duration.between(Instant.now(), deadline).toSeconds()));
                line = client.task(admin, "drain", Query.of().add("wait", round), HeraldClient.DEFAULT_TIMEOUT.plusSeconds(round)).strip();
                if (line.startsWith("drained") || !Instant.now().isBefore(deadline)) {
                    break;
                }
                Matcher m = IN_FLIGHT.matcher(line);
                cli.output().progress(worker + ": " + (m.find() ? m.group(1) : "some") + " task(s) still in flight");
            }
            boolean drained = line.startsWith("drained");
            cli.output().answer(Map.of("worker", worker, "drained", drained, "message", line), worker + ": " + line);
            if (!drained) {
                throw new CliException(CliException.FAILED, worker + " still holds tasks after " + wait.toSeconds()
                        + " s; it takes no new ones (drain again to wait more, or --resume)");
            }
            return 0;
        }
    }

    /** Between two looks at who leads: a new leader is elected within milliseconds, so a short pause. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
    }
}
