package io.herald.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code bin/herald apps|messages|topics|recipients|dead-letters|suppressions|cluster|dispatch|step-down|drain|policy}: the operators'
 * and applications' command line over the API and the admin tasks. Exit codes: 0 done, 1 the node
 * refused or could not be reached (one line with the status and its message), 2 bad arguments or
 * missing credentials (one line).
 */
@Command(name = "herald", description = "Herald's command line for operators and applications.",
        subcommands = {AppsCommand.class, MessagesCommand.class, TopicsCommand.class, DeadLettersCommand.class, ClusterCommands.Cluster.class,
            ClusterCommands.Dispatch.class, ClusterCommands.StepDown.class, ClusterCommands.Drain.class, PolicyCommand.class, SuppressionsCommand.class,
            RecipientsCommand.class})
public final class HeraldCli {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the answer as JSON instead of a table.")
    boolean json;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "A master's API address (default: HERALD_URL, the config file, else " + CliConfig.DEFAULT_API + ").")
    String url;

    @Option(names = "--admin-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "A master's admin address (default: HERALD_ADMIN_URL, the config file, else " + CliConfig.DEFAULT_ADMIN + ").")
    String adminUrl;

    private final Map<String, String> env;
    private final Path home;
    private final Path root;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ObjectMapper mapper = new ObjectMapper();

    HeraldCli(Map<String, String> env, Path home, Path root, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.home = home;
        this.root = root;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("herald.root", "."));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        System.exit(run(args, System.getenv(), Path.of(home), root, out, err));
    }

    /** Runs one command line; answers its exit code. */
    static int run(String[] args, Map<String, String> env, Path home, Path root, PrintWriter out, PrintWriter err) {
        HeraldCli cli = new HeraldCli(env, home, root, out, err);
        CommandLine line = new CommandLine(cli, new CliFactory(cli));
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((e, given) -> {
            err.println("herald: " + oneLine(e.getMessage()) + "; see bin/" + e.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help");
            err.flush();
            return CliException.USAGE;
        });
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            err.println("herald: " + (e instanceof CliException ? e.getMessage() : "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            err.flush();
            return e instanceof CliException c ? c.exitCode() : CliException.FAILED;
        });
        int code = line.execute(args);
        out.flush();
        return code;
    }

    /** The client for the configuration as resolved now (after the options are parsed). */
    HeraldClient client() {
        return new HeraldClient(CliConfig.load(env, home, root).withUrls(url, adminUrl), mapper);
    }

    Output output() {
        return new Output(out, err, mapper, json);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private static String oneLine(String text) {
        return text == null ? "bad arguments" : text.strip().replaceFirst("^Error: ", "").replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Gives every command the one {@link HeraldCli} it runs under. */
    private record CliFactory(HeraldCli cli) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(HeraldCli.class).newInstance(cli);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
