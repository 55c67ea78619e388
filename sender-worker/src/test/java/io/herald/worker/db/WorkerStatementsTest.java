package io.herald.worker.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.DatabaseConfig;
import io.herald.common.db.Database;
import io.herald.common.model.Channel;
import io.herald.common.model.MessageStatus;
import io.herald.common.testing.Rows;
import io.herald.common.testing.StatementCounter;
import io.herald.common.testing.TestDatabase;
import io.herald.worker.core.DedupReservations;
import io.herald.worker.core.Outcome;
import io.herald.worker.core.OutgoingMessage;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's hot path, what it costs in statements on the wire: a dedup reservation per chunk and an
 * outcome batch. A change that adds a statement per chunk or per batch fails here and must say why.
 * Transaction handling (autocommit off, commit, autocommit on) is 3 of each count.
 */
class WorkerStatementsTest {
    private TestDatabase testDatabase;
    private Database counted;

    @BeforeEach
    void create() throws Exception {
        testDatabase = TestDatabase.create();
        DatabaseConfig config = testDatabase.config();
        config.url = config.url + (config.url.contains("?") ? "&" : "?") + StatementCounter.urlParameter();
        config.maximumPoolSize = 1;
        counted = new Database(config, "counted");
        // The pool's one connection opens (and sets its session up) now, not inside a measured call.
        counted.withConnection(c -> c.isValid(5));
    }

    @AfterEach
    void drop() throws Exception {
        counted.close();
        testDatabase.close();
    }

    @Test
    void a_reservation_of_a_chunk_costs_nine_statements_whatever_its_size() throws Exception {
        List<Long> ids = dispatched(100);

        DedupReservations.Reservation reservation = measure(() -> new ReservationStore(counted, "w1").reserve(ids, Duration.ofMinutes(1)));

        assertThat(reservation.mine()).hasSize(100);
        // the locking read, the policies, the dedup keys (one multi-row INSERT), the keys won, one UPDATE, the events
        assertThat(StatementCounter.sent()).hasSize(9);
    }

    @Test
    void a_reservation_reads_each_row_once_and_hands_the_chunk_over_by_priority_then_age() throws Exception {
        List<Long> ids = dispatched(60);
        execute("UPDATE message SET priority = 3 - MOD(id, 3) WHERE id >= " + ids.get(0));
        long before = handlerReads("Handler_read_rnd");

        List<OutgoingMessage> mine = new ReservationStore(counted, "w1").reserve(ids, Duration.ofMinutes(1)).mine();

        // No filesort: sorting the locked read in the database re-read every row by its position.
        assertThat(handlerReads("Handler_read_rnd") - before).isZero();
        assertThat(mine).hasSize(60).isSortedAccordingTo(java.util.Comparator
                .comparingInt((OutgoingMessage m) -> m.priority().rank()).thenComparingLong(OutgoingMessage::id));
        assertThat(mine.get(0).priority().rank()).isLessThan(mine.get(59).priority().rank());
    }

    /** A handler counter of the counted pool's one connection, whose session the measured calls use. */
    private long handlerReads(String name) throws Exception {
        return counted.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SHOW SESSION STATUS LIKE '" + name + "'");
                    java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(2);
            }
        });
    }

    @Test
    void an_outcome_batch_of_sent_messages_costs_six_statements() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (OutgoingMessage m : new ReservationStore(testDatabase.database(), "w1").reserve(dispatched(100), Duration.ofMinutes(1)).mine()) {
            outcomes.add(Outcome.sent(m));
        }

        int applied = measure(() -> new OutcomeStore(counted, "w1", null).record(outcomes));

        assertThat(applied).isEqualTo(100);
        // the locking read, one UPDATE, the events; no callback asked for, so no callback statement
        assertThat(StatementCounter.sent()).hasSize(6);
        assertThat(Rows.statusCounts(testDatabase.database())).containsEntry(MessageStatus.SENT.wireName(), 100);
    }

    @Test
    void a_mixed_outcome_batch_costs_one_statement_per_kind_and_one_each_for_events_callbacks_and_dead_letters() throws Exception {
        List<OutgoingMessage> mine = new ReservationStore(testDatabase.database(), "w1").reserve(dispatched(40), Duration.ofMinutes(1)).mine();
        execute("UPDATE message SET callback_url = 'https://example.org/cb'");
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            OutgoingMessage m = mine.get(i);
            outcomes.add(switch (i % 4) {
                case 0 -> Outcome.sent(m);
                case 1 -> Outcome.retry(m, "503", Duration.ofSeconds(5));
                case 2 -> Outcome.dead(m, "404");
                default -> new Outcome(m.id(), m.attempt(), MessageStatus.QUEUED, "404", Duration.ZERO,
                        new OutgoingMessage.Fallback(Channel.LOG, "ops"), false, false, false);
            });
        }

        measure(() -> new OutcomeStore(counted, "w1", null).record(outcomes));

        // the locking read, the sent UPDATE, the retries and dead letters (one batch), the fallbacks (one
        // batch), the events, the callbacks, the dead_letter rows
        assertThat(StatementCounter.sent()).hasSize(10);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM dead_letter")).isEqualTo(10);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM callback")).isEqualTo(20);
        assertThat(Rows.count(testDatabase.database(), "SELECT COUNT(*) FROM message_event")).isEqualTo(40 * 2);
    }

    private List<Long> dispatched(int n) throws Exception {
        long first = Rows.insertQueued(testDatabase.database(), n, "log", "t");
        execute("UPDATE message SET status = 'dispatched' WHERE id >= " + first);
        List<Long> ids = new ArrayList<>();
        for (long id = first; id < first + n; id++) {
            ids.add(id);
        }
        return ids;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T measure(Call<T> call) throws Exception {
        StatementCounter.reset();
        T result = call.run();
        List<String> sent = StatementCounter.sent();
        sent.forEach(s -> System.out.println("  " + (s.length() > 110 ? s.substring(0, 110) + "..." : s)));
        return result;
    }

    private void execute(String sql) throws Exception {
        testDatabase.database().withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                return s.executeUpdate();
            }
        });
    }
}
