package io.herald.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.util.Duration;
import io.herald.common.config.DatabaseConfig;
import io.herald.common.testing.TestDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by the failover drill (db-cut): with no socket timeout, a leader whose MySQL connection was
 * black-holed waited on it forever and never stepped down.
 */
class DatabaseTimeoutTest {
    private TestDatabase testDatabase;
    private Database database;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        DatabaseConfig config = testDatabase.config();
        config.socketTimeout = Duration.milliseconds(500);
        database = new Database(config, "timeout-test");
    }

    @AfterEach
    void tearDown() throws Exception {
        database.close();
        testDatabase.close();
    }

    @Test
    void a_statement_whose_answer_does_not_come_fails_after_the_socket_timeout() {
        // The server answers SLEEP(3) after 3 s; to the client that is a server that has gone silent.
        assertThatThrownBy(() -> database.withConnection(c -> c.createStatement().executeQuery("SELECT SLEEP(3)")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Communications link failure");
    }

    @Test
    void statements_answered_in_time_are_unaffected() throws Exception {
        long one = database.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(one).isEqualTo(1);
    }
}
