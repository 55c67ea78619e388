package io.herald.tools.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apps create|key|revoke|secret-rotate}: the admin tasks {@code app-create}, {@code app-key},
 * {@code app-revoke} and {@code app-rotate-secret} on a master's admin port. Keys and secrets are
 * printed once, as the tasks print them; Herald keeps only their hashes or signing copies.
 */
@Command(name = "apps", description = "Create applications, issue and revoke their API keys, rotate their signing secrets.")
final class AppsCommand {
    private static final Pattern REVOKED = Pattern.compile("revoked (\\d+) key\\S* of application (\\S+)");
    private static final Pattern SIGNS_UNTIL = Pattern.compile("signs too until (\\S+);");

    private final HeraldCli cli;

    AppsCommand(HeraldCli cli) {
        this.cli = cli;
    }

    @Command(name = "create", description = "Create an application; prints its API key and its webhook signing secret, once.")
    int create(@Parameters(paramLabel = "NAME", description = "Up to 64 letters, digits and ._-") String name,
               @Option(names = "--owner-email", paramLabel = "ADDRESS", description = "Who owns it.") String ownerEmail) {
        List<String> lines = lines(cli.client().task("app-create", Query.of().add("name", name).add("ownerEmail", ownerEmail)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("application", name);
        answer.put("apiKey", lines.get(0));
        answer.put("signingSecret", lines.size() > 1 ? lines.get(1) : null);
        cli.output().answer(answer, fields(answer));
        return 0;
    }

    @Command(name = "key", description = "Issue another API key for an application (to rotate keys without downtime).")
    int key(@Parameters(paramLabel = "NAME") String name) {
        List<String> lines = lines(cli.client().task("app-key", Query.of().add("name", name)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("application", name);
        answer.put("apiKey", lines.get(0));
        cli.output().answer(answer, fields(answer));
        return 0;
    }

    /** Exactly one of: one key, or every key of an application. */
    static final class RevokeTarget {
        @Option(names = "--key", paramLabel = "KEY", required = true, description = "Revoke this one key.")
        String key;

        @Option(names = "--all-keys-of", paramLabel = "NAME", required = true, description = "Revoke every key of this application.")
        String application;
    }

    @Command(name = "revoke", description = "Revoke one API key, or every key of an application.")
    int revoke(@ArgGroup(multiplicity = "1") RevokeTarget target) {
        String text = cli.client().task("app-revoke", Query.of().add("key", target.key).add("name", target.application));
        List<String> lines = lines(text);
        Map<String, Object> answer = new LinkedHashMap<>();
        Matcher m = REVOKED.matcher(lines.get(0));
        if (m.find()) {
            answer.put("application", m.group(2));
            answer.put("revoked", Integer.parseInt(m.group(1)));
        }
        answer.put("message", String.join(" ", lines));
        cli.output().answer(answer, text);
        return 0;
    }

    @Command(name = "secret-rotate", description = "Issue a new webhook signing secret; the old one signs beside it for the grace period.")
    int rotateSecret(@Parameters(paramLabel = "NAME") String name,
                     @Option(names = "--grace", paramLabel = "DURATION",
                             description = "How long the old secret still signs (default: webhook.secretRotationGrace, 24h; at most 30d).") String grace) {
        List<String> lines = lines(cli.client().task("app-rotate-secret", Query.of().add("name", name).add("grace", grace)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("application", name);
        answer.put("signingSecret", lines.get(0));
        Matcher m = SIGNS_UNTIL.matcher(lines.size() > 1 ? lines.get(1) : "");
        answer.put("previousSignsUntil", m.find() ? m.group(1) : null);
        cli.output().answer(answer, fields(answer));
        return 0;
    }

    /** A task's printed lines, none blank; a task that printed nothing is a node that did not do its job. */
    static List<String> lines(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new CliException(CliException.FAILED, "the node answered with nothing");
        }
        return lines;
    }

    /** A two-column table of an answer's fields. */
    static Table fields(Map<String, ?> answer) {
        Table table = Table.of("FIELD", "VALUE");
        answer.forEach(table::row);
        return table;
    }
}
