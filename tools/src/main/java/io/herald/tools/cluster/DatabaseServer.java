package io.herald.tools.cluster;

import io.herald.mariadb.EmbeddedMariaDb;
import io.herald.tools.cli.Args.UsageException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MySQL-compatible server that a tool's nodes use, chosen from the environment in this order:
 * <ol>
 *   <li>{@code DB_URL} when it is set (with {@code DB_USER} and {@code DB_PASSWORD});
 *   <li>a server answering at 127.0.0.1 on {@code DB_PORT} (default 3306), as root with an empty password
 *       unless {@code DB_USER} and {@code DB_PASSWORD} say otherwise;
 *   <li>otherwise an embedded MariaDB ({@link EmbeddedMariaDb}) on a free port, with its data in
 *       {@code db/} and its output in {@code logs/mariadb.log} under the tool's work directory,
 *       stopped by {@link #close()}.
 * </ol>
 * Where none of these is possible (no server answers, and the platform has no embedded binaries), the
 * tool stops with one line saying how to point {@code DB_URL} at a server.
 */
public final class DatabaseServer implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("jdbc:mysql://([^/:?]+)(?::(\\d+))?/([^?]*)(\\?.*)?");
    private static final String DEFAULT_DATABASE = "herald";

    private final String host;
    private final int port;
    private final String database;
    private final String query;
    private final String user;
    private final String password;
    private final String description;
    private final EmbeddedMariaDb embedded;

    private DatabaseServer(String host, int port, String database, String query, Map<String, String> env, String description,
            EmbeddedMariaDb embedded) {
        this.host = host;
        this.port = port;
        this.database = database.isEmpty() ? DEFAULT_DATABASE : database;
        this.query = query;
        this.user = value(env, "DB_USER", "root");
        this.password = value(env, "DB_PASSWORD", "");
        this.description = description;
        this.embedded = embedded;
    }

    /** Chooses the server from {@code env} (normally {@link System#getenv()}); may start an embedded one under {@code work}. */
    public static DatabaseServer choose(Map<String, String> env, Path work) {
        String url = value(env, "DB_URL", "");
        if (!url.isEmpty()) {
            Matcher m = URL.matcher(url);
            if (!m.matches()) {
                throw new UsageException("DB_URL must look like jdbc:mysql://host:port/database, not '" + url + "'");
            }
            int port = m.group(2) == null ? 3306 : Integer.parseInt(m.group(2));
            return new DatabaseServer(m.group(1), port, m.group(3), m.group(4) == null ? "" : m.group(4), env, "the server in DB_URL", null);
        }
        int port = port(value(env, "DB_PORT", "3306"));
        if (EmbeddedMariaDb.answers(port)) {
            return new DatabaseServer("127.0.0.1", port, "", "", env, "the server answering at 127.0.0.1:" + port, null);
        }
        if (!EmbeddedMariaDb.supported()) {
            throw new UsageException("no MySQL answers at 127.0.0.1:" + port + " and " + EmbeddedMariaDb.unsupportedReason()
                    + ": start MySQL 8 or MariaDB 10.11 and set DB_URL=jdbc:mysql://<host>:<port>/herald (with DB_USER, DB_PASSWORD)");
        }
        EmbeddedMariaDb server = EmbeddedMariaDb.start(work.resolve("db"), work.resolve("logs/mariadb.log"));
        return new DatabaseServer("127.0.0.1", server.port(), "", "", Map.of(), "an embedded MariaDB " + EmbeddedMariaDb.VERSION
                + " on 127.0.0.1:" + server.port() + " (nothing answered at 127.0.0.1:" + port + ")", server);
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65_536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("DB_PORT must be a port number from 1 to 65535, not '" + value + "'");
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The JDBC URL of the database named in DB_URL, or of {@code herald}. */
    public String url() {
        return url(database);
    }

    /** The JDBC URL of {@code database} on this server. */
    public String url(String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + database + query;
    }

    /** The JDBC URL of the server without a default database. */
    public String serverUrl() {
        return url("");
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean embedded() {
        return embedded != null;
    }

    /** Which server this is and why, for one line of output. */
    public String description() {
        return description;
    }

    /** Stops the embedded server, if this is one, cleanly; a server found running is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
