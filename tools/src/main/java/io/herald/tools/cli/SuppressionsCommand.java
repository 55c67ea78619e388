package io.herald.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code suppressions list|add|remove}: the API key's application's suppression list (README, "Suppression
 * list"), through {@code /v1/suppressions}. Bad input is the node's 400, printed as one line naming the field.
 */
@Command(name = "suppressions", description = "List, add and remove the targets Herald no longer sends to.")
final class SuppressionsCommand {
    private final HeraldCli cli;

    SuppressionsCommand(HeraldCli cli) {
        this.cli = cli;
    }

    @Command(name = "list", description = "Entries of the suppression list, a page at a time.")
    int list(@Option(names = "--channel", paramLabel = "CHANNEL", description = "Only this channel (email, webhook, log).") String channel,
             @Option(names = "--target", paramLabel = "TARGET", description = "Only the entry for this target (needs --channel).") String target,
             @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "A page's size, 1 to 1000 (default ${DEFAULT-VALUE}).") int limit,
             @Option(names = "--cursor", paramLabel = "CURSOR", description = "A next cursor from an earlier page.") String cursor,
             @Option(names = "--all", description = "Follow the pages to the end.") boolean all) {
        HeraldClient client = cli.client();
        Function<String, Query> after = c -> Query.of().add("channel", channel).add("target", target).add("limit", limit).add("cursor", c);
        HeraldClient.Pages pages = client.pages("/v1/suppressions", after, cursor, "entries", "next", all,
                n -> cli.output().progress("read " + n + " entries..."));
        Table table = Table.of("CHANNEL", "TARGET", "SOURCE", "SINCE", "EXPIRES", "REASON");
        pages.items().forEach(e -> table.row(e.path("channel").asText(), e.path("target").asText(), e.path("source").asText(),
                e.path("createdAt").asText(), e.path("expired").asBoolean() ? "expired" : MessagesCommand.text(e, "expiresAt"),
                e.path("reason").asText()));
        cli.output().answerPages(pages, "entries", "next", table);
        return 0;
    }

    @Command(name = "add", description = "Stop sending to a target (replaces its entry if it has one).")
    int add(@Parameters(index = "0", paramLabel = "CHANNEL") String channel, @Parameters(index = "1", paramLabel = "TARGET") String target,
            @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept with the entry).") String reason,
            @Option(names = "--expires-at", paramLabel = "TIME", description = "When it stops suppressing, RFC 3339 (2027-01-01T00:00:00Z);"
                    + " default: suppression.defaultTtl, else until removed.") String expiresAt) {
        ObjectNode body = cli.mapper().createObjectNode().put("channel", channel).put("target", target);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        JsonNode entry = cli.client().api("POST", "/v1/suppressions", Query.of(), body.toString(), HeraldClient.DEFAULT_TIMEOUT);
        cli.output().answer(entry, "suppressed " + entry.path("channel").asText() + " " + entry.path("target").asText()
                + (entry.hasNonNull("expiresAt") ? " until " + entry.get("expiresAt").asText() : " until removed"));
        return 0;
    }

    @Command(name = "remove", description = "Send to a target again (from the next claim on).")
    int remove(@Parameters(index = "0", paramLabel = "CHANNEL") String channel, @Parameters(index = "1", paramLabel = "TARGET") String target) {
        JsonNode answer = cli.client().api("DELETE", "/v1/suppressions", Query.of().add("channel", channel).add("target", target));
        cli.output().answer(answer, "removed " + channel + " " + target + " from the suppression list");
        return 0;
    }
}
