package io.herald.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.tools.cli.Args.UsageException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseServerTest {
    private static final Path UNUSED = Path.of("target", "no-embedded-server-here");

    @Test
    void db_url_is_used_as_it_is_with_its_database_and_properties() {
        try (DatabaseServer server = DatabaseServer.choose(Map.of("DB_URL", "jdbc:mysql://db.example:3307/shop?useSSL=true",
                "DB_USER", "herald", "DB_PASSWORD", "s3cret"), UNUSED)) {
            assertThat(server.url()).isEqualTo("jdbc:mysql://db.example:3307/shop?useSSL=true");
            assertThat(server.url("herald_bench")).isEqualTo("jdbc:mysql://db.example:3307/herald_bench?useSSL=true");
            assertThat(server.port()).isEqualTo(3307);
            assertThat(server.user()).isEqualTo("herald");
            assertThat(server.password()).isEqualTo("s3cret");
            assertThat(server.embedded()).isFalse();
        }
    }

    @Test
    void a_server_answering_on_db_port_is_used_as_root_with_the_herald_database() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DatabaseServer server = DatabaseServer.choose(Map.of("DB_PORT", Integer.toString(listening.getLocalPort())), UNUSED)) {
            assertThat(server.url()).isEqualTo("jdbc:mysql://127.0.0.1:" + listening.getLocalPort() + "/herald");
            assertThat(server.user()).isEqualTo("root");
            assertThat(server.password()).isEmpty();
            assertThat(server.description()).isEqualTo("the server answering at 127.0.0.1:" + listening.getLocalPort());
        }
    }

    @Test
    void without_a_server_on_a_platform_without_embedded_binaries_one_line_says_how_to_set_db_url() throws Exception {
        int nothing;
        try (ServerSocket free = new ServerSocket(0)) {
            nothing = free.getLocalPort();
        }
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        System.setProperty("os.name", "Mac OS X");
        System.setProperty("os.arch", "aarch64");
        try {
            assertThatThrownBy(() -> DatabaseServer.choose(Map.of("DB_PORT", Integer.toString(nothing)), UNUSED))
                    .isInstanceOf(UsageException.class)
                    .hasMessage("no MySQL answers at 127.0.0.1:" + nothing + " and the embedded MariaDB runs on Linux x86_64 only, and this"
                            + " is Mac OS X aarch64: start MySQL 8 or MariaDB 10.11 and set DB_URL=jdbc:mysql://<host>:<port>/herald"
                            + " (with DB_USER, DB_PASSWORD)");
        } finally {
            System.setProperty("os.name", os);
            System.setProperty("os.arch", arch);
        }
    }

    @Test
    void bad_settings_are_one_line_errors() {
        assertThatThrownBy(() -> DatabaseServer.choose(Map.of("DB_URL", "postgres://x/y"), UNUSED)).isInstanceOf(UsageException.class)
                .hasMessage("DB_URL must look like jdbc:mysql://host:port/database, not 'postgres://x/y'");
        assertThatThrownBy(() -> DatabaseServer.choose(Map.of("DB_PORT", "0"), UNUSED)).isInstanceOf(UsageException.class)
                .hasMessage("DB_PORT must be a port number from 1 to 65535, not '0'");
        assertThatThrownBy(() -> DatabaseServer.choose(Map.of("DB_PORT", "3306x"), UNUSED)).isInstanceOf(UsageException.class)
                .hasMessage("DB_PORT must be a port number from 1 to 65535, not '3306x'");
    }
}
