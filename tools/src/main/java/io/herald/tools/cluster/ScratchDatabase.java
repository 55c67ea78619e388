package io.herald.tools.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database that a tool owns, dropped and created afresh so that every run starts empty, on the
 * server that {@link DatabaseServer} chooses (DB_URL, else a server on DB_PORT, else an embedded
 * MariaDB). The server must be on this machine when nodes reach it through proxies.
 */
public final class ScratchDatabase implements AutoCloseable {
    private final String name;
    private final Path work;
    private DatabaseServer server;

    /** {@code name} is the database to own; an embedded server, if one is needed, keeps its data under {@code work}. */
    public ScratchDatabase(String name, Path work) {
        this.name = name;
        this.work = work;
    }

    /** Chooses the server (starting an embedded one if need be), then drops and creates the database. */
    public void recreate() throws SQLException {
        if (server == null) {
            server = DatabaseServer.choose(System.getenv(), work);
        }
        try (Connection c = serverConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        }
    }

    private DatabaseServer server() {
        if (server == null) {
            throw new IllegalStateException("recreate() chooses the server; call it first");
        }
        return server;
    }

    /** Which server holds the database, for one line of output. */
    public String description() {
        return server().description();
    }

    /** The owned database's name. */
    public String name() {
        return name;
    }

    public String user() {
        return server().user();
    }

    public String password() {
        return server().password();
    }

    public int port() {
        return server().port();
    }

    /** The JDBC URL of the owned database. */
    public String url() {
        return server().url(name);
    }

    /** The JDBC URL of the owned database through a proxy on this machine. */
    public String urlVia(int proxyPort) {
        return url().replaceFirst("^jdbc:mysql://[^/]+/", "jdbc:mysql://127.0.0.1:" + proxyPort + "/");
    }

    /** A connection to the server without a default database (server-wide status, DROP and CREATE). */
    public Connection serverConnection() throws SQLException {
        return DriverManager.getConnection(server().serverUrl(), user(), password());
    }

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** The first column of the first row of a query that returns one number. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Stops an embedded server, after the nodes that used it; a server found running is left alone. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
