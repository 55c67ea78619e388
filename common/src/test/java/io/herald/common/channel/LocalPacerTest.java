package io.herald.common.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalPacerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger workers = new AtomicInteger(1);
    private final LocalPacer pacer = new LocalPacer(2, workers::get, now::get);

    @Test
    void sends_to_one_key_get_slots_an_interval_apart_and_other_keys_are_free() {
        assertThat(pacer.reserve("a", Duration.ofSeconds(1))).isEqualTo(Pacer.Slot.NOW);
        assertThat(pacer.reserve("a", Duration.ofSeconds(1))).isEqualTo(new Pacer.Slot(true, Duration.ofMillis(500)));
        assertThat(pacer.reserve("a", Duration.ofSeconds(1))).isEqualTo(new Pacer.Slot(true, Duration.ofSeconds(1)));
        assertThat(pacer.reserve("b", Duration.ofSeconds(1))).isEqualTo(Pacer.Slot.NOW);
    }

    @Test
    void a_slot_beyond_the_longest_wait_is_not_reserved() {
        pacer.reserve("a", Duration.ZERO);
        assertThat(pacer.reserve("a", Duration.ofMillis(499))).isEqualTo(new Pacer.Slot(false, Duration.ofMillis(500)));
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(pacer.reserve("a", Duration.ZERO)).isEqualTo(Pacer.Slot.NOW);
    }

    @Test
    void a_hold_off_pushes_the_next_slot_and_never_pulls_it_back() {
        pacer.holdOff("a", Duration.ofSeconds(30));
        pacer.holdOff("a", Duration.ofSeconds(1));
        assertThat(pacer.reserve("a", Duration.ofSeconds(29))).isEqualTo(new Pacer.Slot(false, Duration.ofSeconds(30)));
        assertThat(pacer.reserve("a", Duration.ofSeconds(30))).isEqualTo(new Pacer.Slot(true, Duration.ofSeconds(30)));
    }

    @Test
    void keys_whose_slot_has_passed_are_dropped_once_there_are_many() {
        for (int i = 0; i <= LocalPacer.SWEEP_ABOVE; i++) {
            pacer.reserve("k" + i, Duration.ZERO);
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        pacer.reserve("fresh", Duration.ZERO);
        pacer.reserve("fresh2", Duration.ZERO);
        assertThat(pacer.keys()).isLessThan(10);
    }

    @Test
    void a_rate_shared_by_three_workers_spaces_this_ones_sends_three_intervals_apart_from_the_next_reservation() {
        workers.set(3);
        assertThat(pacer.interval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(pacer.reserve("a", Duration.ofSeconds(5))).isEqualTo(Pacer.Slot.NOW);
        assertThat(pacer.reserve("a", Duration.ofSeconds(5))).isEqualTo(new Pacer.Slot(true, Duration.ofMillis(1500)));
        workers.set(1);
        assertThat(pacer.reserve("a", Duration.ofSeconds(5))).isEqualTo(new Pacer.Slot(true, Duration.ofMillis(3000)));
        assertThat(pacer.reserve("a", Duration.ofSeconds(5))).isEqualTo(new Pacer.Slot(true, Duration.ofMillis(3500)));
    }

    @Test
    void a_tiny_rate_shared_by_many_workers_saturates_instead_of_overflowing() {
        LocalPacer slow = new LocalPacer(0.001, () -> Integer.MAX_VALUE, now::get);
        assertThat(slow.interval()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE / 4));
        assertThat(slow.reserve("a", Duration.ZERO)).isEqualTo(Pacer.Slot.NOW);
        Pacer.Slot next = slow.reserve("a", Duration.ofDays(1));
        assertThat(next.reserved()).isFalse();
        assertThat(next.delay()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE / 4));
    }

    @Test
    void a_pace_must_be_positive() {
        assertThatThrownBy(() -> new LocalPacer(0, workers::get, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
