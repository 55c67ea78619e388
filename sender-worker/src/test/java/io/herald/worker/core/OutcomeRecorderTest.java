package io.herald.worker.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.model.MessageStatus;
import io.herald.common.testing.Rows;
import io.herald.worker.db.OutcomeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The outcome writer against the real database, with one outcome that cannot be written. */
class OutcomeRecorderTest extends PipelineFixture {
    @Test
    void a_poison_outcome_is_dead_lettered_and_every_other_outcome_of_its_batch_lands() throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), 20, "webhook", "https://example.org/a");
        execute("UPDATE message SET status = 'sending', attempts = 1 WHERE id >= " + first);
        long poison = first + 7;
        OutcomeStore store = new OutcomeStore(testDatabase.database(), "w", null);
        // This one outcome fails as no database outage does; its dead letter, written next, does not.
        OutcomeWriter writer = outcomes -> {
            if (outcomes.stream().anyMatch(o -> o.messageId() == poison && o.status() == MessageStatus.SENT)) {
                throw new ArithmeticException("long overflow");
            }
            return store.record(outcomes);
        };
        MetricRegistry metrics = new MetricRegistry();
        OutcomeRecorder recorder = new OutcomeRecorder(writer, "w", 100, 50, java.time.Clock.systemUTC(), metrics);
        recorder.start();
        try {
            List<CompletableFuture<Void>> written = new ArrayList<>();
            for (long id = first; id < first + 20; id++) {
                written.add(recorder.record(new Outcome(id, 1, MessageStatus.SENT, null, java.time.Duration.ZERO, null, false, false, false)));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            recorder.stop();
        }

        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message WHERE status = 'sent'")).isEqualTo(19);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message WHERE id = " + poison + " AND status = 'dead'"
                + " AND last_error LIKE 'outcome could not be recorded (java.lang.ArithmeticException: long overflow); it was sent'"))
                .isEqualTo(1);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM dead_letter WHERE message_id = " + poison)).isEqualTo(1);
        assertThat(metrics.counter("herald.worker.outcomes_poisoned").getCount()).isEqualTo(1);
    }

    @Test
    void a_database_outage_is_not_taken_for_poison() {
        assertThat(OutcomeRecorder.isOutage(new java.sql.SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(OutcomeRecorder.isOutage(new java.sql.SQLException("wrapped", new java.net.SocketException("reset")))).isTrue();
        assertThat(OutcomeRecorder.isOutage(new java.sql.SQLDataException("out of range"))).isFalse();
        assertThat(OutcomeRecorder.isOutage(new ArithmeticException("long overflow"))).isFalse();
    }
}
