package io.herald.common.testing;

import io.herald.common.config.DatabaseConfig;
import io.herald.common.db.Database;
import io.herald.common.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * A fresh, migrated database for one test class, dropped afterwards.
 *
 * <p>The server is, in order of preference: {@code HERALD_TEST_DB_URL} (a server URL such as
 * {@code jdbc:mysql://127.0.0.1:3306/}, with {@code HERALD_TEST_DB_USER} and
 * {@code HERALD_TEST_DB_PASSWORD}); a Testcontainers MySQL 8 when a Docker engine is present; the local
 * MariaDB or MySQL at 127.0.0.1:3306 as root with an empty password.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String LOCAL = "jdbc:mysql://127.0.0.1:3306/";
    private static MySQLContainer container;

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
        return new TestDatabase(LOCAL, "root", "");
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
