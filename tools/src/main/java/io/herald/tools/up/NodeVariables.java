package io.herald.tools.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which of the caller's environment variables {@code bin/herald up} hands on to its nodes. */
final class NodeVariables {
    /**
     * Variables that the launcher sets itself for each node, or resolves before passing on (the
     * database); every other variable that config.yml names reaches every node as the caller set it.
     */
    static final Set<String> SET_BY_LAUNCHER = Set.of("NODE_ID", "HTTP_PORT", "ADMIN_PORT", "ZK_CONNECT",
            "DB_URL", "DB_USER", "DB_PASSWORD");
    /** {@code ${NAME:-default}} in config.yml. */
    private static final Pattern CONFIG_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");
    private NodeVariables() {}

    /**
     * The caller's variables that reach every node: those config.yml reads ({@code ${NAME:-default}}),
     * so "every value can be overridden from the environment" holds for {@code up} too, and nothing
     * else of the caller's shell leaks into a node.
     */
    static Set<String> passedToNodes(Path config) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = CONFIG_VARIABLE.matcher(Files.readString(config));
        while (m.find()) {
            names.add(m.group(1));
        }
        names.removeAll(SET_BY_LAUNCHER);
        return names;
    }
}
