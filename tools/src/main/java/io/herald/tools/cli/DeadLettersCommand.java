package io.herald.tools.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dead-letters list|requeue|purge}: through the API with the application's key, or with
 * {@code --admin} through the admin tasks, across applications. A requeue or purge goes in rounds of
 * {@code --chunk} (the node's {@code limit}, which it works through in short transactions of 500) and
 * prints a progress line after each round, so 100,000 dead letters show how far they got.
 */
@Command(name = "dead-letters", description = "List, requeue and purge dead letters.")
final class DeadLettersCommand {
    private static final Pattern CHANGED = Pattern.compile("(requeued|purged) (\\d+) dead letter");

    private final HeraldCli cli;

    DeadLettersCommand(HeraldCli cli) {
        this.cli = cli;
    }

    /** Which dead letters; every given part must match. */
    static final class Selection {
        @Option(names = "--id", paramLabel = "ID", description = "A message id (repeatable).") List<Long> ids;
        @Option(names = "--application", paramLabel = "NAME") String application;
        @Option(names = "--older-than", paramLabel = "DURATION", description = "Dead for at least this long (0s: every dead letter).")
        String olderThan;
    }

    @Command(name = "list", description = "Dead letters, oldest first (the API key's application).")
    int list(@Option(names = "--application", paramLabel = "NAME") String application,
             @Option(names = "--older-than", paramLabel = "DURATION") String olderThan,
             @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "A page's size, 1 to 1000 (default ${DEFAULT-VALUE}).") int limit,
             @Option(names = "--cursor", paramLabel = "CURSOR", description = "A nextCursor from an earlier page.") String cursor,
             @Option(names = "--all", description = "Follow the pages to the end.") boolean all) {
        HeraldClient client = cli.client();
        Function<String, Query> after = c -> Query.of().add("application", application).add("olderThan", olderThan)
                .add("limit", limit).add("cursor", c);
        HeraldClient.Pages pages = client.pages("/v1/dead-letters", after, cursor, "deadLetters", "nextCursor", all,
                n -> cli.output().progress("read " + n + " dead letters..."));
        Table table = Table.of("ID", "APPLICATION", "CHANNEL", "TARGET", "ATTEMPTS", "DEAD AT", "ERROR");
        pages.items().forEach(d -> table.row(d.path("id").asText(), d.path("application").asText(), d.path("channel").asText(),
                d.path("target").asText(), d.path("attempts").asInt(), d.path("deadAt").asText(), MessagesCommand.text(d, "error")));
        cli.output().answerPages(pages, "deadLetters", "nextCursor", table);
        return 0;
    }

    @Command(name = "requeue", description = "Back to queued with a fresh retry budget.")
    int requeue(@Mixin Selection selection, @Mixin Rounds rounds) {
        return change(Change.REQUEUE, selection, rounds);
    }

    @Command(name = "purge", description = "Give up on them: status purged; retention deletes them later.")
    int purge(@Mixin Selection selection, @Mixin Rounds rounds) {
        return change(Change.PURGE, selection, rounds);
    }

    /** How the change is made: through which port, and how much per round. */
    static final class Rounds {
        @Option(names = "--admin", description = "Through the admin task (across applications, with the admin token) instead of the API.")
        boolean admin;

        @Option(names = "--chunk", paramLabel = "N", defaultValue = "5000",
                description = "Dead letters per request, 1 to 100000 (default ${DEFAULT-VALUE}); progress is printed after each.")
        int chunk;
    }

    /** The two changes, as the API and the admin tasks name them. */
    private record Change(String verb, String method, String path, String task) {
        static final Change REQUEUE = new Change("requeued", "POST", "/v1/dead-letters/requeue", "dead-letters-requeue");
        static final Change PURGE = new Change("purged", "DELETE", "/v1/dead-letters", "dead-letters-purge");
    }

    private int change(Change change, Selection selection, Rounds rounds) {
        if (rounds.chunk < 1 || rounds.chunk > 100_000) {
            throw CliException.usage("--chunk must be from 1 to 100000, not " + rounds.chunk);
        }
        HeraldClient client = cli.client();
        long olderThanMillis = olderThanMillis(selection.olderThan);
        long total = 0;
        int round;
        long started = System.nanoTime();
        do {
            // Only what was dead when the command started: each round's age grows by the time gone by, so a
            // message requeued in an earlier round that has died again since is not taken again (rounds of
            // messages that die as fast as they are requeued would otherwise never end).
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            Query query = Query.of().addAll("id", selection.ids).add("application", selection.application)
                    .add("olderThan", (olderThanMillis + elapsedMillis) + "ms").add("limit", rounds.chunk);
            round = rounds.admin ? fromTask(client.task(change.task(), query))
                    : client.api(change.method(), change.path(), query).path(change.verb()).asInt();
            total += round;
            if (round == rounds.chunk) {
                double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                cli.output().progress(String.format("%s %,d dead letters so far (%,.0f/s)", change.verb(), total, total / seconds));
            }
        } while (round == rounds.chunk);
        cli.output().answer(Map.of(change.verb(), total), change.verb() + " " + total + " dead letter(s)");
        return 0;
    }

    private static long olderThanMillis(String olderThan) {
        if (olderThan == null) {
            return 0;
        }
        Matcher m = AGE.matcher(olderThan.trim());
        if (!m.matches() || m.group(1).length() > 9) {
            throw CliException.usage("--older-than must be a duration such as 500ms, 30s, 10m, 2h or 7d, not '" + olderThan + "'");
        }
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        return Long.parseLong(m.group(1)) * unit; // at most 9 digits of days: far from overflowing
    }

    private static final Pattern AGE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private static int fromTask(String text) {
        Matcher m = CHANGED.matcher(text);
        if (!m.find()) {
            throw new CliException(CliException.FAILED, "unexpected answer from the node: " + text.strip());
        }
        return Integer.parseInt(m.group(2));
    }
}
