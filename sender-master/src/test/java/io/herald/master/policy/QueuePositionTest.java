package io.herald.master.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueuePositionTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void nothing_ahead_is_dispatched_when_due_with_or_without_a_rate() {
        assertThat(QueuePosition.of(0, false, NOW.minusSeconds(5), NOW, 0).estimatedDispatchAt()).isEqualTo(NOW);
        assertThat(QueuePosition.of(0, false, NOW.plusSeconds(60), NOW, 0).estimatedDispatchAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void messages_ahead_go_at_the_rate_and_a_scheduled_one_waits_for_its_time_if_that_is_later() {
        assertThat(QueuePosition.of(30, false, NOW.minusSeconds(5), NOW, 10).estimatedDispatchAt()).isEqualTo(NOW.plusSeconds(3));
        assertThat(QueuePosition.of(30, false, NOW.plusSeconds(60), NOW, 10).estimatedDispatchAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(QueuePosition.of(3_000, true, NOW.plusSeconds(60), NOW, 10).estimatedDispatchAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(QueuePosition.of(1, false, NOW, NOW, 3).estimatedDispatchAt()).isEqualTo(NOW.plusMillis(334));
    }

    @Test
    void without_a_rate_or_beyond_a_year_there_is_no_estimate() {
        assertThat(QueuePosition.of(5, false, NOW, NOW, 0).estimatedDispatchAt()).isNull();
        assertThat(QueuePosition.of(5, false, NOW, NOW, Double.NaN).estimatedDispatchAt()).isNull();
        assertThat(QueuePosition.of(10_000, true, NOW, NOW, 1e-5).estimatedDispatchAt()).isNull();
    }
}
