package io.herald.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code topics put|get|delete|subscribe|unsubscribe|subscribers|send|fanout|fanout-cancel}: {@code /v1/topics} and {@code /v1/fanouts}, with the API key. */
@Command(name = "topics", description = "Topics, their subscribers, and messages that fan out to them (with the application's API key).")
final class TopicsCommand {
    /** A bulk call streams up to 100,000 subscribers: give it time. */
    static final Duration BULK_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofSeconds(2);

    private final HeraldCli cli;

    TopicsCommand(HeraldCli cli) {
        this.cli = cli;
    }

    @Command(name = "put", description = "Create a topic, or set its description.")
    int put(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--description", paramLabel = "TEXT") String description) {
        String body = description == null ? "" : cli.mapper().createObjectNode().put("description", description).toString();
        topic(cli.client().api("PUT", path(name), Query.of(), body, HeraldClient.DEFAULT_TIMEOUT));
        return 0;
    }

    @Command(name = "get", description = "A topic and how many subscribers it has.")
    int get(@Parameters(paramLabel = "NAME") String name) {
        topic(cli.client().api("GET", path(name), Query.of()));
        return 0;
    }

    @Command(name = "delete", description = "Delete a topic with its subscribers.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        JsonNode answer = cli.client().api("DELETE", path(name), Query.of());
        cli.output().answer(answer, Table.of("NAME", "SUBSCRIBERS REMOVED").row(name, answer.path("subscribersRemoved").asLong()));
        return 0;
    }

    @Command(name = "subscribe", description = "Add subscribers from a file of JSON lines or a JSON array ({\"channel\",\"target\",\"recipient\"}), streamed; at most 100,000 per call.")
    int subscribe(@Parameters(paramLabel = "NAME") String name, @Option(names = "--file", required = true, paramLabel = "FILE") Path file) {
        return bulk(name, "/subscribers", file, "added");
    }

    @Command(name = "unsubscribe", description = "Remove the subscribers a file names by channel and target, in the same formats.")
    int unsubscribe(@Parameters(paramLabel = "NAME") String name, @Option(names = "--file", required = true, paramLabel = "FILE") Path file) {
        return bulk(name, "/subscribers/remove", file, "removed");
    }

    private int bulk(String name, String suffix, Path file, String changed) {
        JsonNode answer = cli.client().apiStreamed("POST", path(name) + suffix, Query.of(), HeraldClient.fileBody(file), BULK_TIMEOUT);
        cli.output().answer(answer, Table.of("TOPIC", "READ", changed.toUpperCase(), "SUBSCRIBERS")
                .row(name, answer.path("read").asLong(), answer.path(changed).asLong(), answer.path("subscribers").asLong()));
        return 0;
    }

    @Command(name = "subscribers", description = "A topic's subscribers, oldest first: one page, or every page with --all.")
    int subscribers(@Parameters(paramLabel = "NAME") String name,
                    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Per page, 1 to 1000 (default ${DEFAULT-VALUE}).") int limit,
                    @Option(names = "--all", description = "Follow the pages to the end.") boolean all) {
        Table table = Table.of("CHANNEL", "TARGET", "RECIPIENT", "SUBSCRIBED");
        com.fasterxml.jackson.databind.node.ArrayNode rows = cli.mapper().createArrayNode();
        String cursor = null;
        do {
            Query query = Query.of().add("limit", limit);
            if (cursor != null) {
                query.add("cursor", cursor);
            }
            JsonNode page = cli.client().api("GET", path(name) + "/subscribers", query);
            page.path("subscribers").forEach(s -> {
                rows.add(s);
                table.row(s.path("channel").asText(), s.path("target").asText(), MessagesCommand.text(s, "recipient"), s.path("subscribedAt").asText());
            });
            cursor = MessagesCommand.text(page, "next");
        } while (all && cursor != null);
        ObjectNode answer = cli.mapper().createObjectNode();
        answer.set("subscribers", rows);
        answer.put("next", cursor);
        cli.output().answer(answer, table);
        return 0;
    }

    @Command(name = "send", description = "Send one message to each subscriber of a topic on --channel; prints the fan-out's id.")
    int send(@Parameters(paramLabel = "NAME") String name, @Mixin MessagesCommand.NewMessage message) {
        ObjectNode request = new MessagesCommand(cli).request(message);
        request.put("topic", name);
        JsonNode answer = cli.client().api("POST", "/v1/messages", Query.of(), request.toString(), HeraldClient.DEFAULT_TIMEOUT);
        cli.output().answer(answer, Table.of("FANOUT", "STATE", "TOTAL", "DUPLICATE").row(answer.path("fanoutId").asLong(),
                answer.path("state").asText(), answer.path("total").asLong(), answer.path("duplicate").asBoolean()));
        return 0;
    }

    @Command(name = "fanout", description = "A fan-out's progress; with --wait, until it is done (exit 1 if it is not by then).")
    int fanout(@Parameters(paramLabel = "ID") long id,
               @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class) Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait == null ? Duration.ZERO : wait);
        JsonNode fanout = cli.client().api("GET", "/v1/fanouts/" + id, Query.of());
        while (wait != null && !ended(fanout) && Instant.now().isBefore(deadline)) {
            cli.output().progress("fan-out " + id + " is " + fanout.path("state").asText() + ": " + fanout.path("created").asLong() + " of "
                    + fanout.path("total").asLong() + " created, " + fanout.path("sent").asLong() + " sent");
            Thread.sleep(POLL.toMillis());
            fanout = cli.client().api("GET", "/v1/fanouts/" + id, Query.of());
        }
        cli.output().answer(fanout, Table.of("ID", "TOPIC", "STATE", "TOTAL", "CREATED", "SENT", "SUPPRESSED", "DEAD")
                .row(id, fanout.path("topic").asText(), fanout.path("state").asText(), fanout.path("total").asLong(), fanout.path("created").asLong(),
                        fanout.path("sent").asLong(), fanout.path("suppressed").asLong(), fanout.path("dead").asLong()));
        if (wait != null && "cancelled".equals(fanout.path("state").asText())) {
            throw new CliException(CliException.FAILED, "fan-out " + id + " was cancelled");
        }
        if (wait != null && !ended(fanout)) {
            throw new CliException(CliException.FAILED, "fan-out " + id + " is still " + fanout.path("state").asText() + " after " + wait.toSeconds() + " s");
        }
        return 0;
    }

    /** Done, or cancelled: a cancelled fan-out never becomes done, so waiting for it ends there. */
    private static boolean ended(JsonNode fanout) {
        String state = fanout.path("state").asText();
        return "done".equals(state) || "cancelled".equals(state);
    }

    @Command(name = "fanout-cancel", description = "Stop a fan-out and cancel its messages no worker holds yet; prints what it cancelled.")
    int fanoutCancel(@Parameters(paramLabel = "ID") long id) {
        JsonNode answer = cli.client().api("DELETE", "/v1/fanouts/" + id, Query.of());
        cli.output().answer(answer, Table.of("ID", "STATE", "CREATED", "CANCELLED", "NOT CANCELLED").row(id, answer.path("state").asText(),
                answer.path("created").asLong(), answer.path("cancelled").asLong(), answer.path("notCancelled").asLong()));
        return 0;
    }

    private void topic(JsonNode topic) {
        cli.output().answer(topic, Table.of("NAME", "SUBSCRIBERS", "DESCRIPTION").row(topic.path("name").asText(),
                topic.path("subscribers").asLong(), MessagesCommand.text(topic, "description")));
    }

    private static String path(String name) {
        return "/v1/topics/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
