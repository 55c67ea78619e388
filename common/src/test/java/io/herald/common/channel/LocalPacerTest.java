package io.herald.common.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalPacerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LocalPacer pacer = new LocalPacer(2, now::get);

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
    void a_pace_must_be_positive() {
        assertThatThrownBy(() -> new LocalPacer(0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
