package io.herald.tools.cli;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.common.model.MessageStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code messages send|get|events|wait|cancel}: the application's side of {@code /v1/messages}, with its API key. */
@Command(name = "messages", description = "Send messages and follow them (with the application's API key).")
final class MessagesCommand {
    /** The statuses nothing changes but an operator (README, "Sending messages"): the server's own list. */
    static final Set<String> FINAL = MessageStatus.terminal().stream().map(MessageStatus::wireName).collect(Collectors.toUnmodifiableSet());
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    private final HeraldCli cli;

    MessagesCommand(HeraldCli cli) {
        this.cli = cli;
    }

    /**
     * The message's fields, named as the API's, so Jackson writes the request: each is left out when not
     * given, {@code critical} when not set.
     */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class NewMessage {
        @Option(names = "--channel", paramLabel = "CHANNEL", description = "email, webhook, log, slack, sms, or an installed plug-in's name.") String channel;
        @Option(names = "--target", paramLabel = "TARGET", description = "A mailbox, an http(s) URL, or a log label.") String target;
        @Option(names = "--subject", paramLabel = "TEXT") String subject;
        @Option(names = "--body", paramLabel = "TEXT") String body;
        @Option(names = "--template", paramLabel = "NAME") String template;
        @JsonIgnore // parsed: the request carries the object, not its text
        @Option(names = "--context", paramLabel = "JSON", description = "With --template: a JSON object of its values.") String context;
        @Option(names = "--callback-url", paramLabel = "URL") String callbackUrl;
        @Option(names = "--priority", paramLabel = "PRIORITY", description = "urgent, high, medium or low.") String priority;
        @Option(names = "--idempotency-key", paramLabel = "KEY") String idempotencyKey;
        @Option(names = "--send-at", paramLabel = "TIME", description = "Send it then, not before: RFC 3339 with an offset (2026-12-24T08:00:00+01:00).")
        String sendAt;
        @Option(names = "--cancel-key", paramLabel = "KEY", description = "A key to cancel it by, with others (messages cancel --cancel-key).") String cancelKey;
        @Option(names = "--recipient", paramLabel = "NAME", description = "Whose preferences apply (default: the target).") String recipient;
        @Option(names = "--category", paramLabel = "NAME", description = "The kind of message, which a recipient may opt out of.") String category;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @Option(names = "--critical", description = "Send it despite the recipient's opt-outs (not despite the suppression list).") boolean critical;
        @JsonIgnore
        @Option(names = "--file", paramLabel = "FILE", description = "The whole message as JSON, from a file ('-': standard input); the options above override its fields.")
        Path file;
    }

    @Command(name = "send", description = "Send one message; prints its id and status.")
    int send(@picocli.CommandLine.Mixin NewMessage message) {
        String body = request(message).toString();
        JsonNode answer = cli.client().api("POST", "/v1/messages", Query.of(), body, HeraldClient.DEFAULT_TIMEOUT);
        cli.output().answer(answer, Table.of("ID", "STATUS", "DUPLICATE")
                .row(answer.path("id").asText(), answer.path("status").asText(), answer.path("duplicate").asBoolean()));
        return 0;
    }

    ObjectNode request(NewMessage m) {
        ObjectNode json = m.file == null ? cli.mapper().createObjectNode() : fromFile(m.file);
        json.setAll((ObjectNode) cli.mapper().valueToTree(m));
        if (m.context != null) {
            json.set("context", parse(m.context, "--context"));
        }
        return json;
    }

    private ObjectNode fromFile(Path file) {
        try {
            String text = "-".equals(file.toString()) ? new String(System.in.readAllBytes()) : Files.readString(file);
            JsonNode json = parse(text, "--file");
            if (!json.isObject()) {
                throw CliException.usage("--file must hold one JSON object, the message");
            }
            return (ObjectNode) json;
        } catch (IOException e) {
            throw CliException.usage("cannot read --file " + file + ": " + e.getMessage());
        }
    }

    private JsonNode parse(String text, String option) {
        try {
            return cli.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CliException.usage(option + " is not JSON: " + e.getOriginalMessage());
        }
    }

    @Command(name = "get", description = "A message's status, attempts and error.")
    int get(@Parameters(paramLabel = "ID") long id) {
        JsonNode message = cli.client().api("GET", "/v1/messages/" + id, Query.of());
        cli.output().answer(message, status(message));
        return 0;
    }

    @Command(name = "events", description = "A message's audit trail, oldest first.")
    int events(@Parameters(paramLabel = "ID") long id) {
        JsonNode trail = cli.client().api("GET", "/v1/messages/" + id + "/events", Query.of());
        Table table = Table.of("STATUS", "AT", "NODE", "REASON");
        trail.path("events").forEach(e -> table.row(e.path("status").asText(), e.path("at").asText(), e.path("node").asText(),
                e.path("reason").asText()));
        cli.output().answer(trail, table);
        return 0;
    }

    @Command(name = "cancel", description = "Cancel a queued or scheduled message by its ID, or every such message with --cancel-key.")
    int cancel(@Parameters(paramLabel = "ID", arity = "0..1") Long id,
               @Option(names = "--cancel-key", paramLabel = "KEY", description = "Cancel every message sent with this key.") String cancelKey) {
        if ((id == null) == (cancelKey == null)) {
            throw CliException.usage("give a message ID or --cancel-key KEY, " + (id == null ? "one of them" : "not both")
                    + "; see bin/herald messages cancel --help");
        }
        if (id != null) {
            JsonNode answer = cli.client().api("DELETE", "/v1/messages/" + id, Query.of());
            cli.output().answer(answer, Table.of("ID", "STATUS").row(answer.path("id").asText(), answer.path("status").asText()));
        } else {
            JsonNode answer = cli.client().api("DELETE", "/v1/messages", Query.of().add("cancelKey", cancelKey));
            cli.output().answer(answer, "cancelled " + answer.path("cancelled").asLong() + " message(s) with cancelKey " + cancelKey);
        }
        return 0;
    }

    @Command(name = "wait", description = "Wait until a message is final (sent, dead, purged, rejected, cancelled, opted_out or suppressed);"
            + " exit 1 if it is not within --timeout.")
    int await(@Parameters(paramLabel = "ID") long id,
              @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
                      description = "How long to wait in all (default ${DEFAULT-VALUE}).") Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode message;
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            Duration wait = left.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : left.isNegative() ? Duration.ZERO : left;
            message = cli.client().api("GET", "/v1/messages/" + id, Query.of().add("wait", wait.toSeconds() + "s"), null,
                    wait.plus(HeraldClient.DEFAULT_TIMEOUT));
            String status = message.path("status").asText();
            // Waits are asked in whole seconds, so less than one left means the time is up.
            if (FINAL.contains(status) || Duration.between(Instant.now(), deadline).compareTo(Duration.ofSeconds(1)) < 0) {
                break;
            }
            cli.output().progress("message " + id + " is " + status + "; waiting (" + Duration.between(Instant.now(), deadline).toSeconds() + " s left)");
        }
        cli.output().answer(message, status(message));
        if (!FINAL.contains(message.path("status").asText())) {
            throw new CliException(CliException.FAILED, "message " + id + " is still " + message.path("status").asText() + " after " + timeout.toSeconds() + " s");
        }
        return 0;
    }

    private static Table status(JsonNode m) {
        return Table.of("ID", "STATUS", "ATTEMPTS", "AMBIGUOUS", "CREATED", "SENT", "POSITION", "ESTIMATED", "ERROR")
                .row(m.path("id").asText(), m.path("status").asText(), m.path("attempts").asInt(), m.path("ambiguousAttempts").asInt(),
                        text(m, "createdAt"), text(m, "sentAt"), position(m), text(m, "estimatedDispatchAt"), text(m, "error"));
    }

    /** A queued message's place ({@code 10000+} past the count's cap), or null when the answer has none. */
    static String position(JsonNode m) {
        String position = text(m, "position");
        return position == null ? null : position + (m.path("positionAtLeast").asBoolean() ? "+" : "");
    }

    /** A field's text, or null (printed "-") when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
