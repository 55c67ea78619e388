package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentiles_are_nearest_rank_over_every_sample_in_milliseconds() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int micros = 100_000; micros >= 1_000; micros -= 1_000) {
            recorder.record(micros); // 1 ms .. 100 ms, out of order, past the initial capacity
        }
        for (int i = 0; i < 70_000; i++) {
            recorder.record(50_000);
        }
        LatencyRecorder.Summary s = recorder.summary();
        assertThat(s.count()).isEqualTo(70_100);
        assertThat(s.p50Millis()).isEqualTo(50.0);
        assertThat(s.maxMillis()).isEqualTo(100.0);
        assertThat(s.p99Millis()).isEqualTo(50.0);
    }

    @Test
    void an_empty_recorder_reports_zeros() {
        assertThat(new LatencyRecorder().summary().count()).isZero();
    }
}
