package io.herald.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z"); // a Monday
    private static final Duration CAP = Duration.ofHours(10);

    private static Duration parse(String value) {
        return RetryAfter.parse(value, NOW, CAP);
    }

    @Test
    void reads_delta_seconds() {
        assertThat(parse("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void reads_delta_seconds_with_surrounding_spaces() {
        assertThat(parse(" 120 ")).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void reads_zero_seconds() {
        assertThat(parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void clamps_negative_seconds_to_zero() {
        assertThat(parse("-5")).isEqualTo(Duration.ZERO);
    }

    @Test
    void reads_an_http_date_in_the_future_as_the_time_until_then() {
        assertThat(parse("Mon, 01 Jan 2024 00:02:30 GMT")).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void reads_an_http_date_in_the_past_as_zero() {
        assertThat(parse("Sun, 31 Dec 2023 23:59:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000000000", "99999999999999999999", "9223372036854775807", "36001"})
    void caps_a_huge_number_of_seconds_at_the_cap(String value) {
        assertThat(parse(value)).isEqualTo(CAP);
    }

    @Test
    void caps_a_date_in_year_9999_at_the_cap() {
        assertThat(parse("Fri, 31 Dec 9999 23:59:59 GMT")).isEqualTo(CAP);
    }

    @Test
    void a_date_a_day_ahead_is_capped_at_ten_hours() {
        assertThat(parse("Tue, 02 Jan 2024 00:00:00 GMT")).isEqualTo(CAP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "7s", "1.5", "2024-01-01T00:02:00Z", "Mon, 32 Jan 2024 00:00:00 GMT", "-", "--5"})
    void returns_null_for_garbage(String value) {
        assertThat(parse(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void returns_null_for_a_blank_value(String value) {
        assertThat(parse(value)).isNull();
    }

    @Test
    void returns_null_for_null() {
        assertThat(parse(null)).isNull();
    }

    /** Found by RetryAfterFuzzTest: trim() took the NUL away and left "" to be parsed as a number. */
    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0000\n", "\u0001 "})
    void returns_null_for_control_characters_alone(String value) {
        assertThat(parse(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0663\u0660", "\uff11\uff12"})
    void returns_null_for_digits_of_other_scripts(String value) {
        assertThat(parse(value)).isNull();
    }
}
