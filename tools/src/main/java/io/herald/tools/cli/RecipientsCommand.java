package io.herald.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code recipients get|set|import|import-progress}: the API key's application's recipients and their opt-outs
 * (README, "Recipients and preferences"), through {@code /v1/recipients}. Bad input is the node's 400, one line naming the field.
 */
@Command(name = "recipients", description = "Read and set recipients' opt-outs, one at a time or imported from a file (with the application's API key).")
final class RecipientsCommand {
    private final HeraldCli cli;

    RecipientsCommand(HeraldCli cli) {
        this.cli = cli;
    }

    /** The formats an import reads, by the name {@code --format} takes. */
    enum Format {
        jsonl("application/x-ndjson"), csv("text/csv");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    @Command(name = "get", description = "A recipient's opt-outs (none, for a recipient Herald has not heard of).")
    int get(@Parameters(paramLabel = "RECIPIENT") String recipient) {
        preferences(cli.client().api("GET", "/v1/recipients/preferences", Query.of().add("recipient", recipient)));
        return 0;
    }

    @Command(name = "set", description = "Replace a recipient's opt-outs with these; none given clears them.")
    int set(@Parameters(paramLabel = "RECIPIENT") String recipient,
            @Option(names = "--all", negatable = true, description = "Opted out of every message (--no-all: not).") boolean all,
            @Option(names = "--channel", paramLabel = "CHANNEL", description = "Opted out of this channel (email, webhook, log); repeatable.")
            List<String> channels,
            @Option(names = "--category", paramLabel = "NAME", description = "Opted out of this category of message; repeatable.") List<String> categories) {
        ObjectNode body = cli.mapper().createObjectNode();
        ObjectNode optOut = body.putObject("optOut").put("all", all);
        (channels == null ? List.<String>of() : channels).forEach(optOut.putArray("channels")::add);
        (categories == null ? List.<String>of() : categories).forEach(optOut.putArray("categories")::add);
        preferences(cli.client().api("PUT", "/v1/recipients/preferences", Query.of().add("recipient", recipient), body.toString(),
                HeraldClient.DEFAULT_TIMEOUT));
        return 0;
    }

    @Command(name = "import", description = "Set many recipients' opt-outs from a file of JSON lines or CSV, streamed; prints the import when it is done"
            + " (meanwhile, from another shell: import-progress ID).")
    int importFile(@Parameters(paramLabel = "ID", description = "The import's id: watch it with import-progress; the same id again re-imports.") String id,
                   @Option(names = "--file", required = true, paramLabel = "FILE", description = "The file ('-': standard input).") Path file,
                   @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl or csv (default: csv for a .csv file, else jsonl).")
                   Format format) {
        Format read = format != null ? format : file.toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? Format.csv : Format.jsonl;
        imported(cli.client().apiStreamed("POST", importPath(id), Query.of(), HeraldClient.fileBody(file), read.contentType, TopicsCommand.BULK_TIMEOUT));
        return 0;
    }

    @Command(name = "import-progress", description = "An import's state and how many recipients it has stored so far.")
    int importProgress(@Parameters(paramLabel = "ID") String id) {
        imported(cli.client().api("GET", importPath(id), Query.of()));
        return 0;
    }

    private void preferences(JsonNode answer) {
        JsonNode optOut = answer.path("optOut");
        cli.output().answer(answer, Table.of("RECIPIENT", "ALL", "CHANNELS", "CATEGORIES").row(answer.path("recipient").asText(),
                optOut.path("all").asBoolean(), names(optOut.path("channels")), names(optOut.path("categories"))));
    }

    private void imported(JsonNode answer) {
        cli.output().answer(answer, Table.of("ID", "STATE", "RECIPIENTS", "UPDATED", "ERROR").row(answer.path("id").asText(),
                answer.path("state").asText(), answer.path("recipients").asLong(), MessagesCommand.text(answer, "updatedAt"),
                MessagesCommand.text(answer, "error")));
    }

    /** A list's names separated by commas, or null (printed "-") when there are none. */
    private static String names(JsonNode list) {
        String joined = String.join(",", StreamSupport.stream(list.spliterator(), false).map(JsonNode::asText).toList());
        return joined.isEmpty() ? null : joined;
    }

    private static String importPath(String id) {
        return "/v1/recipients/imports/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
