package io.herald.common.transition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.db.Database;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one writer of message.status (StatusChange, and several at once in a StatusBatch), against the real database. */
class StatusChangeTest {
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
    void a_change_updates_the_rows_with_its_assignments_and_records_one_event_each() throws Exception {
        long first = Rows.insertQueued(database, 2, "log", "t");
        List<Long> ids = List.of(first, first + 1);

        database.inTransaction(c -> {
            StatusChange.of(MessageTransition.CLAIM).set("dispatch_token = ?", 7L).apply(c, "node-1", "claimed", ids);
            return null;
        });

        assertThat(count("status = 'dispatched' AND dispatch_token = 7 AND id IN (" + first + ", " + (first + 1) + ")")).isEqualTo(2);
        assertThat(Rows.events(database, first)).containsExactly("dispatched@node-1");
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback WHERE message_id = " + first)).isZero();
    }

    @Test
    void a_row_outside_the_from_statuses_is_an_illegal_transition_that_throws_and_rolls_back() throws Exception {
        long first = Rows.insertQueued(database, 2, "log", "t");
        execute("UPDATE message SET status = 'sent' WHERE id = " + (first + 1));

        assertThatThrownBy(() -> database.inTransaction(c -> {
            StatusChange.of(MessageTransition.CLAIM).apply(c, "node-1", "claimed", List.of(first, first + 1));
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("illegal transition CLAIM");

        assertThat(count("status = 'queued' AND id = " + first)).isEqualTo(1);
        assertThat(Rows.events(database, first)).isEmpty();
    }

    @Test
    void becoming_final_queues_the_callback_and_dead_writes_the_dead_letter_and_requeue_removes_it() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        execute("UPDATE message SET status = 'sending', callback_url = 'https://example.org/cb' WHERE id = " + id);

        database.inTransaction(c -> {
            StatusChange.of(MessageTransition.FAIL).set("last_error = ?", "HTTP 410").apply(c, "worker-1", "failed for good", List.of(id));
            return null;
        });
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM callback WHERE status = 'dead' AND message_id = " + id)).isEqualTo(1);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM dead_letter WHERE message_id = " + id)).isEqualTo(1);

        database.inTransaction(c -> {
            StatusChange.of(MessageTransition.REQUEUE).apply(c, "operator", "requeued", List.of(id));
            return null;
        });
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM dead_letter WHERE message_id = " + id)).isZero();
        assertThat(Rows.events(database, id)).containsExactly("dead@worker-1", "queued@operator");
    }

    @Test
    void an_outcome_applies_only_at_its_own_attempt() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        execute("UPDATE message SET status = 'sending', attempts = 2 WHERE id = " + id);

        assertThatThrownBy(() -> database.inTransaction(c -> {
            StatusChange.of(MessageTransition.DELIVER).applyAtAttempts(c, "worker-1", "sent", java.util.Map.of(id, 1));
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count("status = 'sending' AND id = " + id)).isEqualTo(1);

        database.inTransaction(c -> {
            StatusChange.of(MessageTransition.DELIVER).set("sent_at = NOW(3)").applyAtAttempts(c, "worker-1", "sent", java.util.Map.of(id, 2));
            return null;
        });
        assertThat(count("status = 'sent' AND sent_at IS NOT NULL AND id = " + id)).isEqualTo(1);
        assertThat(Rows.events(database, id)).containsExactly("sent@worker-1");
    }

    @Test
    void a_change_may_not_assign_the_status_itself() {
        assertThatThrownBy(() -> StatusChange.of(MessageTransition.CLAIM).set("status = 'sent'"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void herald_s_own_message_is_inserted_queued_with_its_event() throws Exception {
        long id = database.inTransaction(c -> OwnMessages.insert(c, "leader",
                new OwnMessages.OwnMessage(OwnMessages.SYSTEM_APPLICATION, "email", "owner@example.org", "s", "b", 1, false, 0),
                "warning"));

        assertThat(count("application = 'herald' AND status = 'queued' AND is_digest = 0 AND id = " + id)).isEqualTo(1);
        assertThat(Rows.events(database, id)).containsExactly("queued@leader");
    }

    // Several transitions in one StatusBatch.

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

    @Test
    void no_change_on_the_way_to_sent_grows_a_row_so_each_is_rewritten_in_place() throws Exception {
        // V108: a row that grows is moved within its page (and the page often reorganised), costing
        // fourteen times the redo log of an in-place rewrite. The claim sets dispatch_token and the send
        // sets sent_at: both NOT NULL, so neither fills in a NULL; status is CHAR wide enough for every status.
        long width = Rows.count(database, "SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'message' AND COLUMN_NAME = 'status' AND DATA_TYPE = 'char'");
        assertThat(Arrays.stream(MessageStatus.values()).mapToInt(s -> s.wireName().length()).max().orElseThrow())
                .isLessThanOrEqualTo((int) width);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'message' AND COLUMN_NAME IN ('dispatch_token', 'sent_at') AND IS_NULLABLE = 'NO'"))
                .isEqualTo(2);
    }

    @Test
    void sent_at_reads_null_until_the_message_is_sent() throws Exception {
        long first = Rows.insertQueued(database, 2, "log", "t");
        execute("UPDATE message SET status = 'sent', sent_at = NOW(3) WHERE id = " + first);

        assertThat(count(StatusSql.SENT_AT + " IS NOT NULL AND id = " + first)).isEqualTo(1);
        assertThat(count(StatusSql.SENT_AT + " IS NULL AND status = 'queued' AND id = " + (first + 1))).isEqualTo(1);
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
