package io.herald.tools.cluster;

import io.herald.tools.cli.Args.UsageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database that a tool owns on the server named by {@code DB_URL}: dropped and created afresh, so
 * that every run starts empty. The server must be on this machine when nodes reach it through proxies.
 */
public final class ScratchDatabase {
    private static final Pattern URL = Pattern.compile("jdbc:mysql://([^/:?]+)(?::(\\d+))?/[^?]*(\\?.*)?");

    private final String name;
    private final String host;
    private final int port;
    private final String query;
    private final String user = env("DB_USER", "root");
    private final String password = env("DB_PASSWORD", "");

    /** Reads the server from {@code DB_URL} (default the local MySQL); {@code name} is the database to own. */
    public ScratchDatabase(String name) {
        this.name = name;
        Matcher m = URL.matcher(env("DB_URL", "jdbc:mysql://127.0.0.1:3306/herald"));
        if (!m.matches()) {
            throw new UsageException("DB_URL must look like jdbc:mysql://host:port/database");
        }
        this.host = m.group(1);
        this.port = m.group(2) == null ? 3306 : Integer.parseInt(m.group(2));
        this.query = m.group(3) == null ? "" : m.group(3);
    }

    /** The owned database's name. */
    public String name() {
        return name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the owned database. */
    public String url() {
        return "jdbc:mysql://" + host + ":" + port + "/" + name + query;
    }

    /** The JDBC URL of the owned database through a proxy on this machine. */
    public String urlVia(int proxyPort) {
        return "jdbc:mysql://127.0.0.1:" + proxyPort + "/" + name + query;
    }

    /** A connection to the server without a default database (server-wide status, DROP and CREATE). */
    public Connection serverConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + query, user, password);
    }

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(url(), user, password);
    }

    public void recreate() throws SQLException {
        try (Connection c = serverConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        }
    }

    /** The first column of the first row of a query that returns one number. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
