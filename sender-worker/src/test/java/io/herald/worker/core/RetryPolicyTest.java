package io.herald.worker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(5, BASE, MAX, () -> random);
    }

    private static long delayMillis(double random, int attemptsUsed) {
        return policy(random).delay(attemptsUsed, null).toMillis();
    }

    @ParameterizedTest(name = "attempt {0}: ceiling {1} ms")
    @CsvSource({"1, 100", "2, 200", "3, 400", "4, 800", "5, 1600", "7, 6400"})
    void waits_between_half_and_all_of_the_doubling_ceiling(int attemptsUsed, long ceiling) {
        assertThat(delayMillis(0.0, attemptsUsed)).isEqualTo(ceiling / 2);
        assertThat(delayMillis(1.0, attemptsUsed)).isEqualTo(ceiling);
    }

    @Test
    void spreads_the_upper_half_with_the_random_value() {
        assertThat(delayMillis(0.5, 3)).isEqualTo(300); // ceiling 400: 200 fixed + half of the other 200
    }

    @Test
    void grows_monotonically_with_the_attempt_number() {
        long previous = 0;
        for (int n = 1; n <= 40; n++) {
            long delay = delayMillis(1.0, n);
            assertThat(delay).as("attempt %d", n).isGreaterThanOrEqualTo(previous);
            previous = delay;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 10, 31, 32, 63, 64})
    void caps_the_ceiling_at_max(int attemptsUsed) {
        // 100 ms * 2^7 = 12.8 s, already past the 10 s cap.
        assertThat(delayMillis(1.0, attemptsUsed)).isEqualTo(10_000);
        assertThat(delayMillis(0.0, attemptsUsed)).isEqualTo(5_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 100_000, Integer.MAX_VALUE})
    void does_not_overflow_for_huge_attempt_numbers(int attemptsUsed) {
        assertThat(delayMillis(1.0, attemptsUsed)).isEqualTo(10_000);
        assertThat(delayMillis(0.0, attemptsUsed)).isEqualTo(5_000);
    }

    @Test
    void does_not_overflow_when_the_max_is_huge() {
        RetryPolicy unbounded = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMillis(Long.MAX_VALUE), () -> 1.0);

        Duration delay = unbounded.delay(1_000, null);

        assertThat(delay).isPositive();
        assertThat(delay.toMillis()).isEqualTo(1_000L << 30); // the exponent stops growing at 30
    }

    @Test
    void caps_at_max_even_when_base_times_two_to_the_n_overflows_a_long() {
        // 2^41 ms (about 70 years) shifted left by 30 leaves a long entirely: the ceiling must still be max.
        Duration hugeBase = Duration.ofMillis(1L << 41);
        Duration max = Duration.ofDays(1);
        RetryPolicy policy = new RetryPolicy(5, hugeBase, max, () -> 1.0);

        assertThat(policy.delay(31, null)).isEqualTo(max);
        assertThat(policy.delay(1, null)).isEqualTo(max);
    }

    @Test
    void treats_attempt_zero_like_the_first() {
        assertThat(delayMillis(1.0, 0)).isEqualTo(100);
        assertThat(delayMillis(0.0, 0)).isEqualTo(50);
    }

    @Test
    void never_waits_more_than_max_without_retry_after() {
        for (int n = 1; n <= 100; n++) {
            assertThat(delayMillis(0.999_999, n)).isLessThanOrEqualTo(MAX.toMillis());
        }
    }

    @Test
    void uses_retry_after_when_it_is_longer_than_the_backoff() {
        Duration delay = policy(1.0).delay(1, Duration.ofSeconds(5));

        assertThat(delay).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void caps_retry_after_at_max() {
        assertThat(policy(1.0).delay(10, Duration.ofHours(1))).isEqualTo(MAX);
        assertThat(policy(1.0).delay(1, Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(MAX);
    }

    @Test
    void uses_the_backoff_when_retry_after_is_shorter() {
        Duration delay = policy(1.0).delay(3, Duration.ofMillis(10));

        assertThat(delay).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void uses_the_backoff_when_retry_after_is_zero() {
        Duration delay = policy(0.0).delay(2, Duration.ZERO);

        assertThat(delay).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void allows_a_retry_until_max_attempts_are_used() {
        RetryPolicy policy = new RetryPolicy(3, BASE, MAX, () -> 0.5);

        assertThat(policy.mayRetry(0)).isTrue();
        assertThat(policy.mayRetry(1)).isTrue();
        assertThat(policy.mayRetry(2)).isTrue();
        assertThat(policy.mayRetry(3)).isFalse();
        assertThat(policy.mayRetry(4)).isFalse();
        assertThat(policy.maxAttempts()).isEqualTo(3);
    }

    @Test
    void allows_no_retry_when_only_one_attempt_is_allowed() {
        RetryPolicy policy = new RetryPolicy(1, BASE, MAX, () -> 0.5);

        assertThat(policy.mayRetry(1)).isFalse();
    }
}
