package io.herald.tools.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code policy get|set}: one application's delivery policy, stored in the database through the admin
 * tasks {@code app-weight}, {@code app-quota}, {@code app-digest}, {@code app-fallback},
 * {@code app-rate-limit}, {@code app-retry-schedule}, {@code app-unknown-outcome} and {@code app-dry-run} (docs/DELIVERY-POLICY.md). A value
 * {@code default} goes back to config.yml's.
 */
@Command(name = "policy", description = "Read and change an application's delivery policy.")
final class PolicyCommand {
    /** Each admin task and the parameters it takes and prints, in the order it prints them. */
    static final Map<String, List<String>> TASKS = tasks();

    private final HeraldCli cli;

    PolicyCommand(HeraldCli cli) {
        this.cli = cli;
    }

    private static Map<String, List<String>> tasks() {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("app-weight", List.of("weight"));
        tasks.put("app-quota", List.of("soft", "hard", "window"));
        tasks.put("app-digest", List.of("enabled", "threshold", "window"));
        tasks.put("app-fallback", List.of("channel", "target"));
        tasks.put("app-rate-limit", List.of("perSecond", "burst"));
        tasks.put("app-retry-schedule", List.of("schedule"));
        tasks.put("app-unknown-outcome", List.of("unknownOutcome"));
        tasks.put("app-dry-run", List.of("enabled"));
        return tasks;
    }

    /** The CLI's name of a setting: {@code quota.soft} for app-quota's {@code soft}; {@code weight} alone. */
    static String settingName(String task, String parameter) {
        String group = switch (task) {
            case "app-weight", "app-unknown-outcome" -> "";
            case "app-rate-limit" -> "rate.";
            case "app-retry-schedule" -> "retry.";
            default -> task.substring("app-".length()) + ".";
        };
        return group + parameter;
    }

    @Command(name = "get", description = "Every policy setting of an application, with config.yml's default where it has none of its own.")
    int get(@Parameters(paramLabel = "APPLICATION") String application) {
        Map<String, String> policy = new LinkedHashMap<>();
        HeraldClient client = cli.client();
        TASKS.forEach((task, parameters) -> policy.putAll(parse(task, client.task(task, Query.of().add("application", application)))));
        print(application, policy);
        return 0;
    }

    @Command(name = "set", description = "Change settings, for example: policy set billing weight=3 quota.hard=10000 retry.schedule=30s,5m,1h")
    int set(@Parameters(index = "0", paramLabel = "APPLICATION") String application,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "SETTING=VALUE") List<String> changes) {
        Map<String, Query> byTask = new LinkedHashMap<>();
        for (String change : changes) {
            int eq = change.indexOf('=');
            String name = eq < 0 ? change : change.substring(0, eq);
            Map.Entry<String, String> target = find(name);
            if (eq < 0) {
                throw CliException.usage("'" + change + "' is not SETTING=VALUE");
            }
            byTask.computeIfAbsent(target.getKey(), t -> Query.of().add("application", application)).add(target.getValue(), change.substring(eq + 1));
        }
        Map<String, String> policy = new LinkedHashMap<>();
        HeraldClient client = cli.client();
        byTask.forEach((task, query) -> policy.putAll(parse(task, client.task(task, query))));
        print(application, policy);
        return 0;
    }

    /** The task and parameter of a setting's CLI name; an unknown name is a usage error naming them all. */
    static Map.Entry<String, String> find(String name) {
        for (Map.Entry<String, List<String>> task : TASKS.entrySet()) {
            for (String parameter : task.getValue()) {
                if (settingName(task.getKey(), parameter).equals(name)) {
                    return Map.entry(task.getKey(), parameter);
                }
            }
        }
        StringBuilder known = new StringBuilder();
        TASKS.forEach((task, parameters) -> parameters.forEach(p -> known.append(known.length() == 0 ? "" : ", ").append(settingName(task, p))));
        throw CliException.usage("unknown setting '" + name + "'; known: " + known);
    }

    /**
     * A task's line, {@code application 'billing': soft=100 hard=default (0) window=1h}, as settings by
     * their CLI names. Values may hold spaces (a retry schedule), so each ends where the next known
     * parameter begins.
     */
    static Map<String, String> parse(String task, String line) {
        String text = line.strip();
        int start = text.indexOf("': ");
        if (!text.startsWith("application '") || start < 0) {
            throw new CliException(CliException.FAILED, "unexpected answer from " + task + ": " + text);
        }
        text = text.substring(start + 2);
        List<String> parameters = TASKS.get(task);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            String marker = " " + parameters.get(i) + "=";
            int from = text.indexOf(marker);
            int to = i + 1 < parameters.size() ? text.indexOf(" " + parameters.get(i + 1) + "=", from + marker.length()) : text.length();
            if (from < 0 || to < 0) {
                throw new CliException(CliException.FAILED, "unexpected answer from " + task + ": " + line.strip());
            }
            values.put(settingName(task, parameters.get(i)), text.substring(from + marker.length(), to));
        }
        return values;
    }

    private void print(String application, Map<String, String> policy) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("application", application);
        answer.put("settings", policy);
        Table table = Table.of("SETTING", "VALUE");
        policy.forEach(table::row);
        cli.output().answer(answer, "application " + application + "\n" + table.render());
    }
}
