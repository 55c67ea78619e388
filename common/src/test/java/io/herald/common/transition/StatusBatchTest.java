package io.herald.common.transition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.db.Database;
import io.herald.common.model.MessageTransition;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several transitions in one batch, against the real database. */
class StatusBatchTest {
    private static TestDatabase testDatabase;
    private static Database database;

    @BeforeAll
    static void create() throws Exception {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
    }

    @AfterAll
    static void drop() throws Exception {
        testDatabase.close();
    }

    @Test
    void uniform_and_per_row_changes_each_carry_their_reason_and_values_and_their_side_effects() throws Exception {
        long first = Rows.insertQueued(database, 3, "log", "t");
        execute("UPDATE message SET status = 'sending', callback_url = 'https://example.org/cb' WHERE id >= " + first);

        database.inTransaction(c -> {
            StatusBatch batch = StatusBatch.on(c, "worker-1");
            batch.change(StatusChange.of(MessageTransition.DELIVER).set("sent_at = NOW(3)"), Map.of(first, "attempt 1 sent"));
            batch.eachRow("last_error = ?", "id")
                    .add(MessageTransition.RETRY, first + 1, "retry", "HTTP 503")
                    .add(MessageTransition.FAIL, first + 2, "dead", "HTTP 404")
                    .execute();
            batch.finish();
            return null;
        });

        assertThat(count("status = 'sent' AND sent_at IS NOT NULL AND id = " + first)).isEqualTo(1);
        assertThat(count("status = 'queued' AND last_error = 'HTTP 503' AND id = " + (first + 1))).isEqualTo(1);
        assertThat(count("status = 'dead' AND last_error = 'HTTP 404' AND id = " + (first + 2))).isEqualTo(1);
        assertThat(Rows.events(database, first + 1)).containsExactly("queued@worker-1");
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback WHERE message_id >= " + first)).isEqualTo(2);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM dead_letter WHERE message_id = " + (first + 2))).isEqualTo(1);
    }

    @Test
    void a_callback_filter_spares_the_messages_it_leaves_out() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        execute("UPDATE message SET status = 'sending', callback_url = 'https://example.org/cb' WHERE id = " + id);

        database.inTransaction(c -> {
            StatusBatch.on(c, "worker-1").callbacksOnlyFor(m -> false)
                    .change(StatusChange.of(MessageTransition.DELIVER), Map.of(id, "sent")).finish();
            return null;
        });

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback WHERE message_id = " + id)).isZero();
    }

    @Test
    void a_per_row_change_the_guard_does_not_match_throws_and_rolls_back() throws Exception {
        long first = Rows.insertQueued(database, 2, "log", "t");
        execute("UPDATE message SET status = 'sending' WHERE id = " + first);

        assertThatThrownBy(() -> database.inTransaction(c -> {
            StatusBatch batch = StatusBatch.on(c, "worker-1");
            batch.eachRow("last_error = ?", "id")
                    .add(MessageTransition.RETRY, first, "retry", "HTTP 503")
                    .add(MessageTransition.RETRY, first + 1, "retry", "HTTP 503")
                    .execute();
            batch.finish();
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("illegal transition RETRY");

        assertThat(count("status = 'sending' AND last_error IS NULL AND id = " + first)).isEqualTo(1);
        assertThat(Rows.events(database, first)).isEmpty();
    }

    @Test
    void one_row_batch_takes_only_transitions_that_leave_the_same_statuses() {
        assertThatThrownBy(() -> database.inTransaction(c -> {
            StatusBatch.on(c, "w").eachRow("last_error = ?", "id")
                    .add(MessageTransition.RETRY, 1, "retry", "x")
                    .add(MessageTransition.CLAIM, 2, "claim", "x");
            return null;
        })).isInstanceOf(IllegalArgumentException.class);
    }

    private static long count(String where) throws Exception {
        return Rows.count(database, "SELECT COUNT(*) FROM message WHERE " + where);
    }

    private static void execute(String sql) throws Exception {
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                return s.executeUpdate();
            }
        });
    }
}
