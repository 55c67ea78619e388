package io.herald.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.herald.common.config.DatabaseConfig;
import org.junit.jupiter.api.Test;

class DriverSettingsTest {

    @Test
    void a_pool_gets_read_committed_utc_sessions_batched_rewrites_and_the_statement_cache() {
        HikariConfig hikari = new HikariConfig();

        DriverSettings.apply(hikari);

        assertThat(hikari.getTransactionIsolation()).isEqualTo("TRANSACTION_READ_COMMITTED");
        assertThat(hikari.getDataSourceProperties()).hasSize(6)
                .containsEntry("connectionTimeZone", "UTC").containsEntry("forceConnectionTimeZoneToSession", "true")
                .containsEntry("rewriteBatchedStatements", "true").containsEntry("cachePrepStmts", "true")
                .containsEntry("prepStmtCacheSize", "250").containsEntry("prepStmtCacheSqlLimit", "2048");
    }

    @Test
    void the_services_pool_has_them_beside_its_own_timeouts() {
        HikariConfig shared = new HikariConfig();
        DriverSettings.apply(shared);

        HikariConfig services = Database.hikariConfig(new DatabaseConfig(), "test-pool");

        assertThat(services.getTransactionIsolation()).isEqualTo("TRANSACTION_READ_COMMITTED");
        assertThat(services.getDataSourceProperties()).containsAllEntriesOf(shared.getDataSourceProperties())
                .containsEntry("useServerPrepStmts", "false").containsEntry("tcpKeepAlive", "true")
                .containsEntry("connectTimeout", "5000").containsEntry("socketTimeout", "30000");
    }
}
