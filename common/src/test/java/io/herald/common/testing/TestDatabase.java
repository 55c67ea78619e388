package io.herald.common.testing;

import io.herald.common.config.DatabaseConfig;
import io.herald.common.db.Database;
import io.herald.common.db.DatabaseUrl;
import io.herald.mariadb.EmbeddedMariaDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.apache.commons.io.FileUtils;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * A fresh, migrated database for one test class, dropped afterwards.
 *
 * <p>The server is, in order of preference: {@code HERALD_TEST_DB_URL} (a server URL such as
 * {@code jdbc:mysql://127.0.0.1:3306/}, with {@code HERALD_TEST_DB_USER} and
 * {@code HERALD_TEST_DB_PASSWORD}); a Testcontainers MySQL 8 when a Docker engine is present; a server
 * answering at 127.0.0.1 on {@code HERALD_TEST_DB_PORT} (default 3306; root, empty password); otherwise
 * an embedded MariaDB ({@link EmbeddedMariaDb}), started once for the whole test JVM, with its data in
 * a temporary directory that is deleted when the JVM exits, after the server has stopped.
 */
public final class TestDatabase implements AutoCloseable {
    private static final int LOCAL_PORT = localPort();
    private static MySQLContainer container;
    private static EmbeddedMariaDb embedded;

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String name;
    private final Database database;

    private TestDatabase(String serverUrl, String user, String password) throws SQLException {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.name = "herald_test_" + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        this.database = new Database(config(), "test-" + name);
        database.migrate();
    }

    public static TestDatabase create() throws SQLException {
        String url = System.getenv("HERALD_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return new TestDatabase(url, env("HERALD_TEST_DB_USER", "root"), env("HERALD_TEST_DB_PASSWORD", ""));
        }
        if (dockerAvailable()) {
            MySQLContainer mysql = sharedContainer();
            return new TestDatabase(DatabaseUrl.parse(mysql.getJdbcUrl()).serverUrl(), "root", mysql.getPassword());
        }
        if (EmbeddedMariaDb.answers(LOCAL_PORT)) {
            return new TestDatabase("jdbc:mysql://127.0.0.1:" + LOCAL_PORT + "/", "root", "");
        }
        return new TestDatabase(sharedEmbeddedServer().serverUrl(), "root", "");
    }

    private static int localPort() {
        String port = env("HERALD_TEST_DB_PORT", "3306");
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HERALD_TEST_DB_PORT must be a port number, not '" + port + "'", e);
        }
    }

    private static synchronized EmbeddedMariaDb sharedEmbeddedServer() {
        if (embedded == null) {
            if (!EmbeddedMariaDb.supported()) {
                throw new IllegalStateException("no MySQL answers at 127.0.0.1:" + LOCAL_PORT + " and " + EmbeddedMariaDb.unsupportedReason()
                        + "; set HERALD_TEST_DB_URL=jdbc:mysql://<host>:<port>/ (with HERALD_TEST_DB_USER, HERALD_TEST_DB_PASSWORD)");
            }
            Path directory;
            try {
                directory = Files.createTempDirectory("herald-test-mariadb");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedMariaDb server = EmbeddedMariaDb.start(directory.resolve("data"), directory.resolve("mariadb.log"));
            System.out.printf("TestDatabase: nothing answered at 127.0.0.1:%d; started an embedded MariaDB %s on 127.0.0.1:%d%n",
                    LOCAL_PORT, EmbeddedMariaDb.VERSION, server.port());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                FileUtils.deleteQuietly(directory.toFile());
            }, "embedded-mariadb-stop"));
            embedded = server;
        }
        return embedded;
    }

    /** Whether a Docker engine answers; false (in about half a second) on machines without one. */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static synchronized MySQLContainer sharedContainer() {
        if (container == null) {
            container = new MySQLContainer("mysql:8.4");
            container.start();
        }
        return container;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** The configuration a node under test uses to reach this database. */
    public DatabaseConfig config() {
        DatabaseConfig config = new DatabaseConfig();
        config.url = DatabaseUrl.parse(serverUrl + "placeholder").withDatabase(name);
        config.user = user;
        config.password = password;
        return config;
    }

    public Database database() {
        return database;
    }

    public String url() {
        return config().url;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        database.close();
        execute("DROP DATABASE IF EXISTS `" + name + "`");
    }
}
