package io.herald.worker.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.model.MessageStatus;
import io.herald.common.testing.SettableClock;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The outcome recorder's batching, one {@code runOnce()} at a time on a clock moved by hand, against a fake writer. */
class OutcomeBatchingTest {
    private static final Duration FLUSH = Duration.ofMillis(10);

    private final SettableClock clock = new SettableClock();
    private final MetricRegistry metrics = new MetricRegistry();
    private final List<List<Outcome>> batches = new ArrayList<>();
    private int outagesLeft;
    private int superseded;
    private final OutcomeRecorder recorder = new OutcomeRecorder(outcomes -> {
        if (outagesLeft > 0) {
            outagesLeft--;
            throw new SQLTransientConnectionException("pool timeout");
        }
        batches.add(List.copyOf(outcomes));
        return outcomes.size() - superseded;
    }, "w1", 5, FLUSH.toMillis(), clock, metrics);

    private List<CompletableFuture<Void>> record(int n) {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stages.add(recorder.record(new Outcome(i, 1, MessageStatus.SENT, null, Duration.ZERO, null, false, false, false)));
        }
        return stages;
    }

    @Test
    void with_nothing_queued_it_writes_nothing_and_waits_to_be_woken() {
        assertThat(recorder.runOnce()).isPositive();
        assertThat(batches).isEmpty();
    }

    @Test
    void a_partial_batch_waits_for_the_flush_interval_then_goes_in_one_write() {
        List<CompletableFuture<Void>> stages = record(3);

        assertThat(recorder.runOnce()).isEqualTo(FLUSH);
        assertThat(batches).isEmpty();
        clock.advance(FLUSH);
        assertThat(recorder.runOnce()).isZero();

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).hasSize(3);
        assertThat(stages).allSatisfy(s -> assertThat(s).isCompleted());
    }

    @Test
    void a_full_batch_is_written_at_once_and_the_rest_waits_for_the_next() {
        record(7);

        assertThat(recorder.runOnce()).isZero();
        assertThat(batches).extracting(List::size).containsExactly(5);
        assertThat(recorder.runOnce()).isEqualTo(FLUSH);
        assertThat(metrics.getGauges().get("herald.worker.outcomes_pending").getValue()).isEqualTo(0);
    }

    @Test
    void a_database_outage_keeps_the_batch_and_writes_it_whole_when_the_database_is_back() {
        outagesLeft = 1;
        List<CompletableFuture<Void>> stages = record(5);

        Duration pause = recorder.runOnce();
        assertThat(pause).isPositive();
        assertThat(stages).noneSatisfy(s -> assertThat(s).isDone());
        assertThat(metrics.counter("herald.worker.outcome_write_errors").getCount()).isEqualTo(1);

        assertThat(recorder.runOnce()).isZero();
        assertThat(batches).extracting(List::size).containsExactly(5);
        assertThat(stages).allSatisfy(s -> assertThat(s).isCompleted());
    }

    @Test
    void outcomes_of_superseded_attempts_are_counted_and_their_stages_still_complete() {
        superseded = 2;
        List<CompletableFuture<Void>> stages = record(5);

        recorder.runOnce();

        assertThat(metrics.counter("herald.worker.outcomes_superseded").getCount()).isEqualTo(2);
        assertThat(stages).allSatisfy(s -> assertThat(s).isCompleted());
    }

    @Test
    void stop_writes_what_is_still_queued() throws Exception {
        List<CompletableFuture<Void>> stages = record(7);

        recorder.stop();

        assertThat(batches).extracting(List::size).containsExactly(5, 2);
        assertThat(stages).allSatisfy(s -> assertThat(s).isCompleted());
    }

    @Test
    void stop_during_an_outage_fails_the_stages_rather_than_hold_the_process() throws Exception {
        outagesLeft = 1;
        List<CompletableFuture<Void>> stages = record(3);

        recorder.stop();

        assertThat(batches).isEmpty();
        assertThat(stages).allSatisfy(s -> assertThat(s).isCompletedExceptionally());
    }
}
