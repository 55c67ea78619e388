package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentiles_come_from_every_sample_within_three_significant_digits() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int micros = 100_000; micros >= 1_000; micros -= 1_000) {
            recorder.record(micros); // 1 ms .. 100 ms, out of order
        }
        for (int i = 0; i < 70_000; i++) {
            recorder.record(50_000);
        }
        LatencyRecorder.Summary s = recorder.summary();
        assertThat(s.count()).isEqualTo(70_100);
        assertThat(s.p50Millis()).isCloseTo(50.0, within(0.05));
        assertThat(s.p99Millis()).isCloseTo(50.0, within(0.05));
        assertThat(s.maxMillis()).isCloseTo(100.0, within(0.1));
    }

    @Test
    void an_empty_recorder_reports_zeros_and_reset_forgets_the_warm_up() {
        LatencyRecorder recorder = new LatencyRecorder();
        assertThat(recorder.summary().count()).isZero();
        assertThat(recorder.distribution()).isEmpty();
        recorder.record(5_000_000);
        recorder.reset();
        recorder.record(1_000);
        assertThat(recorder.summary().maxMillis()).isCloseTo(1.0, within(0.01));
    }

    @Test
    void out_of_range_samples_are_bounded_not_thrown() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        recorder.record(Long.MAX_VALUE);
        assertThat(recorder.summary().count()).isEqualTo(2);
        assertThat(recorder.summary().maxMillis()).isCloseTo(3_600_000.0, within(3_600.0));
    }

    @Test
    void the_distribution_rises_with_the_percentile_up_to_the_maximum() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 1; i <= 10_000; i++) {
            recorder.record(i * 10L);
        }
        var points = recorder.distribution();
        assertThat(points).isSortedAccordingTo((a, b) -> Double.compare(a.millis(), b.millis()));
        assertThat(points.get(points.size() - 1).millis()).isCloseTo(100.0, within(0.1));
        assertThat(points.get(points.size() - 1).percentile()).isEqualTo(100.0);
    }

    @Test
    void latency_counted_from_the_scheduled_send_time_includes_a_stalled_client() {
        // Coordinated omission: the client should send a batch every 10 ms but stalls for 500 ms at tick 0.
        // The batches of ticks 0..49 all go out at 500 ms and arrive 1 ms later. Measured from when the
        // client got round to them, every one took 1 ms; measured from the schedule, half waited 250 ms or more.
        long start = 1_000_000_000L;
        SendSchedule schedule = new SendSchedule(start, 10_000);
        LatencyRecorder corrected = new LatencyRecorder();
        long sentAt = start + 500_000;
        for (int tick = 0; tick < 50; tick++) {
            corrected.record(sentAt + 1_000 - schedule.dueMicros(tick));
        }
        assertThat(corrected.summary().p50Millis()).isGreaterThanOrEqualTo(250.0);
        assertThat(corrected.summary().maxMillis()).isCloseTo(501.0, within(0.5));
    }
}
