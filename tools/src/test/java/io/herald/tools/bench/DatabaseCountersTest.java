package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseCountersTest {
    @Test
    void work_per_message_is_the_delta_of_the_counters_divided_by_the_messages() {
        Map<String, Long> before = Map.of("Questions", 100L, "Handler_read_key", 10L, "Handler_read_next", 5L,
                "Handler_write", 1L, "Handler_update", 2L, "Handler_delete", 0L, "Handler_commit", 7L, "Com_select", 50L, "Innodb_os_log_written", 1_000L, "Innodb_buffer_pool_reads", 3L);
        Map<String, Long> after = Map.ofEntries(Map.entry("Questions", 301L), Map.entry("Handler_read_key", 1_010L), Map.entry("Handler_read_next", 2_005L), Map.entry("Handler_read_rnd_next", 1_000L),
                Map.entry("Handler_write", 601L), Map.entry("Handler_update", 202L), Map.entry("Handler_delete", 100L), Map.entry("Handler_commit", 57L),
                Map.entry("Com_select", 150L), Map.entry("Innodb_os_log_written", 61_000L), Map.entry("Innodb_buffer_pool_reads", 53L));
        Map<String, Double> perMessage = DatabaseCounters.perMessage(before, after, 100);
        assertThat(perMessage).containsEntry("statementsPerMessage", 2.0) // 201, less the reading's own SHOW STATUS
                .containsEntry("rowsReadPerMessage", 40.0) // 1,000 + 2,000 + 1,000 (a counter that first appears counts from 0)
                .containsEntry("rowsWrittenPerMessage", 9.0)
                .containsEntry("redoBytesPerMessage", 600.0)
                .containsEntry("commitsPerMessage", 0.5)
                .containsEntry("pagesReadFromDiskPerMessage", 0.5)
                .containsEntry("selectPerMessage", 1.0)
                .containsEntry("insertPerMessage", 0.0);
    }

    @Test
    void no_message_delivered_divides_by_one_rather_than_zero() {
        assertThat(DatabaseCounters.perMessage(Map.of("Questions", 1L), Map.of("Questions", 11L), 0))
                .containsEntry("statementsPerMessage", 9.0);
    }

    @Test
    void of_two_windows_the_guard_keeps_each_figure_lower_value_and_the_higher_count_of_other_clients() {
        Map<String, Object> first = Map.of("statementsPerMessage", 0.4, "rowsReadPerMessage", 40.0,
                "rowsWrittenPerMessage", 7.0, "redoBytesPerMessage", 1_400.0, "commitsPerMessage", 0.25, "otherDatabaseClients", 0);
        Map<String, Object> second = Map.of("statementsPerMessage", 0.5, "rowsReadPerMessage", 7.2,
                "rowsWrittenPerMessage", 7.001, "redoBytesPerMessage", 1_350.0, "commitsPerMessage", 0.3, "otherDatabaseClients", 1);
        Map<String, Object> lower = DatabaseWindow.lowerOf(first, second);
        assertThat(lower).containsEntry("rowsReadPerMessage", 7.2).containsEntry("statementsPerMessage", 0.4)
                .containsEntry("rowsWrittenPerMessage", 7.0).containsEntry("redoBytesPerMessage", 1_350.0)
                .containsEntry("commitsPerMessage", 0.25).containsEntry("otherDatabaseClients", 1);
        assertThat(lower.get("databaseWindows")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("rowsReadPerMessage", "40.0 / 7.2");
    }
}
