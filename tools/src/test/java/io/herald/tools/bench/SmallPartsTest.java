package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's small pure parts: timelines, guard figures, targets, prefill statements, the body's time. */
class SmallPartsTest {
    @Test
    void a_timeline_gives_the_rate_of_each_interval() {
        Timeline t = new Timeline();
        t.record(0, 0);
        t.record(500_000_000L, 400);
        t.record(1_000_000_000L, 400);
        t.record(2_000_000_000L, 2_400);
        assertThat(t.points()).containsExactly(new Timeline.Point(0.5, 800), new Timeline.Point(1.0, 0), new Timeline.Point(2.0, 2_000));
    }

    @Test
    void guard_figures_sum_threads_and_allocation_per_role_and_skip_other_processes() throws Exception {
        var report = new ObjectMapper().readTree("""
                {"statementsPerMessage":0.5,"rowsReadPerMessage":9,"commitsPerMessage":0.3,
                 "processes":[{"process":"zookeeper","threadsStartedPer1000":50},
                   {"process":"bench-master","threadsStartedPer1000":0.5,"bytesAllocatedPerMessage":4000},
                   {"process":"bench-worker-1","threadsStartedPer1000":1.25,"bytesAllocatedPerMessage":10000},
                   {"process":"bench-worker-2","threadsStartedPer1000":1.5,"bytesAllocatedPerMessage":12000}]}""");
        assertThat(GuardFigures.of(report).figures()).containsEntry("statementsPerMessage", 0.5).containsEntry("rowsReadPerMessage", 9.0)
                .containsEntry("masters.threadsStartedPer1000", 0.5).containsEntry("workers.threadsStartedPer1000", 2.75)
                .containsEntry("workers.bytesAllocatedPerMessage", 22_000.0).doesNotContainKey("rowsWrittenPerMessage")
                .hasSize(7);
        assertThat(GuardFigures.of(report).untrusted()).isEmpty();
    }

    @Test
    void database_figures_are_untrusted_while_other_clients_use_the_server() throws Exception {
        var report = new ObjectMapper().readTree("""
                {"statementsPerMessage":0.5,"otherDatabaseClients":24,
                 "processes":[{"process":"bench-worker-1","threadsStartedPer1000":1.25}]}""");
        GuardFigures.Guard guard = GuardFigures.of(report);
        assertThat(guard.figures()).containsOnlyKeys("workers.threadsStartedPer1000");
        assertThat(guard.untrusted()).containsOnlyKeys(GuardFigures.DATABASE);
        assertThat(guard.untrusted().get("statementsPerMessage")).contains("24 connection(s) of other clients");
    }

    @Test
    void targets_rotate_and_count_what_went_to_the_slow_destination() {
        Targets t = new Targets(List.of("a", "b"), "slow");
        List<String> sent = List.of(t.next(), t.next(), t.next(), t.next(), t.next(), t.next(), t.next());
        assertThat(sent).containsExactly("a", "b", "slow", "a", "b", "slow", "a");
        assertThat(t.toSlow()).isEqualTo(2);
        assertThat(Targets.of("x").next()).isEqualTo("x");
    }

    @Test
    void prefill_writes_each_message_its_attempt_key_and_four_audit_events() {
        String messages = Prefill.messages("bench", 11, 13);
        assertThat(messages).startsWith("INSERT INTO message (").contains("(11,'bench','webhook'", "(13,'bench'").doesNotContain("(14,");
        assertThat(messages.split("'sent',1,").length - 1).isEqualTo(3);
        assertThat(Prefill.deliveries(11, 12)).contains("('herald-11#1',11,1,", "('herald-12#1',12,1,");
        String events = Prefill.events(11, 12);
        assertThat(events.split("\\),\\(").length).isEqualTo(8);
        assertThat(events).contains("(11,'queued'", "(11,'dispatched'", "(11,'sending'", "(12,'sent'");
    }

    @Test
    void the_time_carried_in_the_body_is_read_without_parsing_json_and_bounded() {
        assertThat(FastReceiver.carriedTime("{\"subject\":\"s\",\"body\":\"1700000000123456\"}".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(1_700_000_000_123_456L);
        assertThat(FastReceiver.carriedTime("{\"body\":\"x\"}".getBytes(StandardCharsets.US_ASCII))).isZero();
        assertThat(FastReceiver.carriedTime("{}".getBytes(StandardCharsets.US_ASCII))).isZero();
        assertThat(FastReceiver.carriedTime(("{\"body\":\"" + "9".repeat(40) + "\"}").getBytes(StandardCharsets.US_ASCII))).isPositive();
    }
}
