package io.herald.common.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The HikariCP pool every Herald component shares. Sessions run in UTC and READ COMMITTED
 * ({@link DriverSettings}).
 */
public final class Database implements Managed, AutoCloseable {
    private final HikariDataSource dataSource;

    public Database(DatabaseConfig config, String poolName) {
        this.dataSource = new HikariDataSource(hikariConfig(config, poolName));
    }

    static HikariConfig hikariConfig(DatabaseConfig config, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.url);
        hikari.setUsername(config.user);
        hikari.setPassword(config.password);
        hikari.setMaximumPoolSize(config.maximumPoolSize);
        hikari.setConnectionTimeout(config.connectionTimeout.toMilliseconds());
        DriverSettings.apply(hikari);
        hikari.setAutoCommit(true);
        // Start even when the database is down; health checks and retries report it.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("useServerPrepStmts", "false");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(config.connectionTimeout.toMilliseconds()));
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(config.socketTimeout.toMilliseconds()));
        return hikari;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs {@code work} in one transaction: commits on return, rolls back on any exception. */
    public <T> T inTransaction(SqlFunction<Connection, T> work) throws SQLException {
        return transaction(work, null);
    }

    /**
     * Like {@link #inTransaction(SqlFunction)}, but the server closes the session if it goes
     * {@code silenceLimit} without a statement before the commit: a client frozen mid-transaction (a long
     * GC pause, SIGSTOP, a stalled VM) then loses its locks after that long instead of holding them until
     * it thaws. MySQL and MariaDB apply {@code wait_timeout} inside transactions too; it counts whole seconds.
     */
    public <T> T inTransaction(SqlFunction<Connection, T> work, java.time.Duration silenceLimit) throws SQLException {
        return transaction(work, Long.toString(Math.max(1, silenceLimit.toSeconds())));
    }

    private <T> T transaction(SqlFunction<Connection, T> work, String waitTimeout) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (waitTimeout != null) {
                setWaitTimeout(connection, waitTimeout);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
                if (waitTimeout != null) {
                    setWaitTimeout(connection, "@@GLOBAL.wait_timeout");
                }
            }
        }
    }

    private static void setWaitTimeout(Connection connection, String seconds) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("SET SESSION wait_timeout = " + seconds);
        }
    }

    /** Runs {@code work} on one autocommitting connection. */
    public <T> T withConnection(SqlFunction<Connection, T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** Applies the versioned SQL under db/migration. Running it again changes nothing. */
    public MigrateResult migrate() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
