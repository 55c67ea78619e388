package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseCountersTest {
    @Test
    void work_per_message_is_the_delta_of_the_counters_divided_by_the_messages() {
        Map<String, Long> before = Map.of("Questions", 100L, "Handler_read_key", 10L, "Handler_read_next", 5L,
                "Handler_write", 1L, "Handler_update", 2L, "Handler_delete", 0L, "Handler_commit", 7L, "Com_select", 50L, "Innodb_os_log_written", 1_000L);
        Map<String, Long> after = Map.of("Questions", 301L, "Handler_read_key", 1_010L, "Handler_read_next", 2_005L,
                "Handler_read_rnd_next", 1_000L, "Handler_write", 601L, "Handler_update", 202L, "Handler_delete", 100L,
                "Handler_commit", 57L, "Com_select", 150L, "Innodb_os_log_written", 61_000L);
        Map<String, Double> perMessage = DatabaseCounters.perMessage(before, after, 100);
        assertThat(perMessage).containsEntry("statementsPerMessage", 2.0) // 201, less the reading's own SHOW STATUS
                .containsEntry("rowsReadPerMessage", 40.0) // 1,000 + 2,000 + 1,000 (a counter that first appears counts from 0)
                .containsEntry("rowsWrittenPerMessage", 9.0)
                .containsEntry("redoBytesPerMessage", 600.0)
                .containsEntry("commitsPerMessage", 0.5)
                .containsEntry("selectPerMessage", 1.0)
                .containsEntry("insertPerMessage", 0.0);
    }

    @Test
    void no_message_delivered_divides_by_one_rather_than_zero() {
        assertThat(DatabaseCounters.perMessage(Map.of("Questions", 1L), Map.of("Questions", 11L), 0))
                .containsEntry("statementsPerMessage", 9.0);
    }
}
