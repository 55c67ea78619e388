package io.herald.common.db;

import com.zaxxer.hikari.HikariConfig;
import java.util.Map;

/**
 * The session and driver settings of every pool on Herald's database: the services' own
 * ({@link Database}) and the bench's db-scheduler pool, so that neither side of a comparison wins on
 * them. Only HikariCP's types, so the tools can use it without common's runtime.
 */
public final class DriverSettings {
    /**
     * Connector/J's properties. Instants are stored and read in UTC, whatever the server's or the JVM's
     * zone; multi-row INSERTs from JDBC batches take an order of magnitude fewer round trips; prepared
     * statements are cached on the client.
     */
    private static final Map<String, String> PROPERTIES = Map.of(
            "connectionTimeZone", "UTC",
            "forceConnectionTimeZoneToSession", "true",
            "rewriteBatchedStatements", "true",
            "cachePrepStmts", "true",
            "prepStmtCacheSize", "250",
            "prepStmtCacheSqlLimit", "2048");

    private DriverSettings() {}

    /**
     * READ COMMITTED: Herald's correctness rests on unique keys and conditional updates, not on snapshot
     * isolation, and READ COMMITTED avoids the gap locks that make batched claims deadlock under
     * REPEATABLE READ. Then {@link #PROPERTIES}.
     */
    public static void apply(HikariConfig hikari) {
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        PROPERTIES.forEach(hikari::addDataSourceProperty);
    }
}
