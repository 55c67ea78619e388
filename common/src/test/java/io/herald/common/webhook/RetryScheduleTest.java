package io.herald.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryScheduleTest {
    @Test
    void the_default_is_svixs_and_spans_more_than_a_day() {
        RetrySchedule schedule = RetrySchedule.parse(RetrySchedule.DEFAULT);

        assertThat(schedule.steps()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(schedule.maxAttempts()).isEqualTo(8);
        assertThat(schedule.longestStep()).isEqualTo(Duration.ofHours(10));
        assertThat(schedule.steps().stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThan(Duration.ofDays(1));
        assertThat(schedule.toString()).isEqualTo(RetrySchedule.DEFAULT);
    }

    @Test
    void the_step_after_each_attempt_and_the_last_step_beyond() {
        RetrySchedule schedule = RetrySchedule.parse("1s,2m , 3h");

        assertThat(schedule.step(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(schedule.step(3)).isEqualTo(Duration.ofHours(3));
        assertThat(schedule.step(9)).isEqualTo(Duration.ofHours(3));
        assertThat(RetrySchedule.parse("250ms, 1d").toString()).isEqualTo("250ms, 1d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999d", "9223372036854775807ms", "106751991167301d", "8d", "604800001ms"})
    void a_step_too_long_is_refused_never_wrapped(String step) {
        assertThatThrownBy(() -> RetrySchedule.parse("5s, " + step))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(step);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "5 s", "-5s", "5s,,5m", "5w", "1.5h", "5s;5m"})
    void anything_else_is_refused_with_a_message(String text) {
        assertThatThrownBy(() -> RetrySchedule.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry schedule");
    }

    @Test
    void at_most_fifty_steps() {
        assertThat(RetrySchedule.parse("1s,".repeat(49) + "1s").maxAttempts()).isEqualTo(51);
        assertThatThrownBy(() -> RetrySchedule.parse("1s,".repeat(50) + "1s")).hasMessageContaining("at most 50");
    }
}
