package io.herald.tools.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassedToNodesTest {
    @Test
    void every_variable_config_yml_reads_is_passed_on_except_those_the_launcher_sets(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), """
                nodeId: "${NODE_ID:-}"
                url: ${DB_URL:-jdbc:mysql://127.0.0.1:3306/herald}
                maxInFlight: ${WORKER_MAX_IN_FLIGHT:-512}
                host: ${SMTP_HOST:-127.0.0.1}
                port: ${HTTP_PORT:-8080}
                literal: $NOT_A_VARIABLE
                """);
        assertThat(NodeVariables.passedToNodes(config)).containsExactly("SMTP_HOST", "WORKER_MAX_IN_FLIGHT");
    }

    @Test
    void the_real_config_passes_on_smtp_and_tuning_but_not_ports() throws Exception {
        assertThat(NodeVariables.passedToNodes(Path.of("../config.yml")))
                .contains("SMTP_HOST", "SMTP_PORT", "WORKER_MAX_IN_FLIGHT", "MASTER_CLAIM_BATCH_SIZE", "MASTER_FANOUT_CHUNK_SIZE")
                .doesNotContain("HTTP_PORT", "ADMIN_PORT", "NODE_ID", "ZK_CONNECT", "DB_URL");
    }
}
