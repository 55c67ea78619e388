package io.herald.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.MessageStatus;
import io.herald.common.testing.Rows;
import io.herald.common.transition.StatusSql;
import io.herald.common.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageEventsTest {
    private static TestDatabase database;

    @BeforeAll
    static void create() throws Exception {
        database = TestDatabase.create();
    }

    @AfterAll
    static void drop() throws Exception {
        database.close();
    }

    @Test
    void a_batch_of_events_is_written_in_order_with_the_database_time() throws Exception {
        database.database().inTransaction(c -> {
            MessageEvents.record(c, "node-1", MessageStatus.QUEUED, "same reason", List.of(11L, 12L));
            MessageEvents.record(c, "node-2", List.of(new MessageEvents.Event(11L, MessageStatus.DISPATCHED, "own reason")));
            return null;
        });
        assertThat(Rows.events(database.database(), 11)).containsExactly("queued@node-1", "dispatched@node-2");
        assertThat(Rows.events(database.database(), 12)).containsExactly("queued@node-1");
        assertThat(Rows.count(database.database(),
                "SELECT COUNT(*) FROM message_event WHERE message_id IN (11, 12)"
                        + " AND ABS(TIMESTAMPDIFF(SECOND, created_at, NOW(3))) < 60")).isEqualTo(3);
    }

    @Test
    void events_roll_back_with_their_transaction() throws Exception {
        try {
            database.database().inTransaction(c -> {
                MessageEvents.record(c, "node-1", MessageStatus.SENT, "sent", List.of(21L));
                throw new java.sql.SQLException("the status change failed");
            });
        } catch (java.sql.SQLException expected) {
            // the point of the test
        }
        assertThat(Rows.events(database.database(), 21)).isEmpty();
    }

    @Test
    void a_long_reason_is_cut_by_characters_without_splitting_one() throws Exception {
        String reason = "x".repeat(MessageEvents.MAX_REASON - 1) + "\uD83D\uDE00\uD83D\uDE00 and more";
        database.database().inTransaction(c -> {
            MessageEvents.record(c, "node-1", MessageStatus.DEAD, reason, List.of(31L));
            return null;
        });
        String stored = database.database().withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT reason FROM message_event WHERE message_id = 31");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(stored).hasSize(MessageEvents.MAX_REASON + 1).endsWith("x\uD83D\uDE00");
    }

    @Test
    void more_events_than_one_insert_holds_are_all_recorded() throws Exception {
        int n = MessageEvents.ROWS_PER_INSERT * 2 + 7;
        List<Long> ids = java.util.stream.LongStream.rangeClosed(100_001, 100_000 + n).boxed().toList();
        database.database().inTransaction(c -> {
            MessageEvents.record(c, "node-1", MessageStatus.SENDING, "reserved", ids);
            return null;
        });
        assertThat(Rows.count(database.database(),
                "SELECT COUNT(DISTINCT message_id) FROM message_event WHERE message_id > 100000 AND "
                        + StatusSql.is(MessageStatus.SENDING)))
                .isEqualTo(n);
    }

    @Test
    void no_events_send_no_statement() throws Exception {
        database.database().inTransaction(c -> {
            MessageEvents.record(c, "node-empty", MessageStatus.SENT, "sent", List.of());
            MessageEvents.record(c, "node-empty", List.of());
            return null;
        });
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message_event WHERE node = 'node-empty'")).isZero();
    }
}
