package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryWaitTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void far_from_the_end_it_asks_at_most_once_a_second() {
        // 1,000 of 100,000 after 1 s: 99 s to go
        assertThat(DeliveryWait.nextPoll(99_000, 1_000, SECOND, 50)).isEqualTo(1_000);
    }

    @Test
    void near_the_end_it_asks_every_poll_interval_so_the_end_is_timed_closely() {
        // 99,900 of 100,000 after 10 s: 10 ms to go
        assertThat(DeliveryWait.nextPoll(100, 99_900, 10 * SECOND, 50)).isEqualTo(50);
    }

    @Test
    void in_between_it_waits_a_quarter_of_the_time_still_to_go() {
        // 10,000 delivered in 1 s, 2,000 to go: 200 ms to go
        assertThat(DeliveryWait.nextPoll(2_000, 10_000, SECOND, 50)).isEqualTo(50);
        // 10,000 delivered in 1 s, 6,000 to go: 600 ms to go
        assertThat(DeliveryWait.nextPoll(6_000, 10_000, SECOND, 50)).isEqualTo(150);
    }

    @Test
    void before_anything_arrived_it_asks_every_poll_interval() {
        assertThat(DeliveryWait.nextPoll(5_000, 0, SECOND, 50)).isEqualTo(50);
    }
}
