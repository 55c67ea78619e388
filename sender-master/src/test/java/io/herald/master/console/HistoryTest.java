package io.herald.master.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.master.db.ConsoleSampleStore.Stored;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static Stored row(int minute, String series, String label, double value) {
        return new Stored(T0.plusSeconds(60L * minute), series, label, value);
    }

    @Test
    void a_point_is_the_growth_of_each_workers_total_and_the_first_sample_has_none() {
        List<Stored> rows = List.of(
                row(0, Series.WORKER_SENT, "w1", 100), row(0, Series.WORKER_SENT, "w2", 10),
                row(1, Series.WORKER_SENT, "w1", 160), row(1, Series.WORKER_SENT, "w2", 15));
        List<History.TrafficPoint> points = new History(rows).traffic();
        assertThat(points).hasSize(2);
        assertThat(points.get(0).sent()).isNull();
        assertThat(points.get(1).sent()).isEqualTo(65);
        assertThat(points.get(1).at()).isEqualTo("2026-12-03T10:01:00Z");
    }

    @Test
    void a_total_that_went_down_is_a_restart_and_counts_from_zero() {
        List<Stored> rows = List.of(row(0, Series.WORKER_SENT, "w1", 500), row(1, Series.WORKER_SENT, "w1", 7));
        assertThat(new History(rows).workers().get("w1").get(1).sent()).isEqualTo(7);
    }

    @Test
    void a_worker_that_joins_has_no_growth_until_its_second_sample() {
        List<Stored> rows = new ArrayList<>(List.of(row(0, Series.WORKER_SENT, "w1", 1), row(1, Series.WORKER_SENT, "w1", 2),
                row(1, Series.WORKER_SENT, "w2", 40), row(1, Series.WORKER_IN_FLIGHT, "w2", 3)));
        History history = new History(rows);
        assertThat(history.workers().get("w2")).singleElement().satisfies(p -> {
            assertThat(p.sent()).isNull();
            assertThat(p.inFlight()).isEqualTo(3);
        });
        assertThat(history.traffic().get(1).sent()).isEqualTo(1);
    }

    @Test
    void backlog_is_summed_per_sample_and_the_newest_groups_are_kept() {
        List<Stored> rows = List.of(row(0, Series.BACKLOG, "high:shop", 5), row(1, Series.BACKLOG, "high:shop", 3),
                row(1, Series.BACKLOG, "low:mail", 4), row(1, Series.DEAD, "", 2));
        History history = new History(rows);
        assertThat(history.traffic().get(1).backlog()).isEqualTo(7);
        assertThat(history.traffic().get(1).dead()).isEqualTo(2);
        assertThat(history.traffic().get(0).dead()).isNull();
        assertThat(history.latestBacklog()).containsEntry("low:mail", 4.0).containsEntry("high:shop", 3.0);
    }

    @Test
    void quantiles_are_nearest_rank() {
        List<Double> sorted = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(ConsoleSampler.quantile(sorted, 0.5)).isEqualTo(5.0);
        assertThat(ConsoleSampler.quantile(sorted, 0.95)).isEqualTo(10.0);
        assertThat(ConsoleSampler.quantile(List.of(3.0), 0.5)).isEqualTo(3.0);
    }
}
