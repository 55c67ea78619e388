package io.herald.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.DatabaseConfig;
import io.herald.common.testing.Rows;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The schema and the SQL that needs MySQL 8 semantics (SKIP LOCKED, LOCK IN SHARE MODE, row
 * constructors, TIMESTAMPADD) on a real MySQL 8. Runs where a Docker engine is present; skipped cleanly
 * where none is (the rest of the suite covers MariaDB).
 */
@Testcontainers(disabledWithoutDocker = true)
class MySqlContainerTest {
    @Container
    private static final MySQLContainer MYSQL = new MySQLContainer("mysql:8.4");

    @Test
    void migrations_apply_twice_and_the_portable_queries_run_on_mysql_8() throws Exception {
        DatabaseConfig config = new DatabaseConfig();
        config.url = MYSQL.getJdbcUrl();
        config.user = MYSQL.getUsername();
        config.password = MYSQL.getPassword();
        try (Database database = new Database(config, "mysql8")) {
            assertThat(database.migrate().migrationsExecuted).isEqualTo(1);
            assertThat(database.migrate().migrationsExecuted).isZero();
            Rows.insertQueued(database, 3, "log", "t");
            long claimed = Rows.count(database, "SELECT COUNT(*) FROM (SELECT id FROM message WHERE status = 'queued'"
                    + " AND next_attempt_at <= TIMESTAMPADD(MICROSECOND, 1000, NOW(3))"
                    + " ORDER BY priority, next_attempt_at, id LIMIT 10 FOR UPDATE SKIP LOCKED) c");
            assertThat(claimed).isEqualTo(3);
            assertThat(Rows.count(database, "SELECT token FROM leader_fence WHERE name = 'dispatch' LOCK IN SHARE MODE")).isEqualTo(-1);
            assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE (application, idempotency_key) IN (('test', 'x'))")).isZero();
        }
    }
}
