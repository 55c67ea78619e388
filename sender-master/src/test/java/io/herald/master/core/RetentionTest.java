package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.audit.MessageEvents;
import io.herald.common.config.RetentionConfig;
import io.herald.common.db.Database;
import io.herald.common.model.MessageStatus;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import io.herald.master.db.RetentionStore;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention against the real database; ages are made by moving rows' times back on the database clock. */
class RetentionTest {
    private TestDatabase testDatabase;
    private Database database;
    private final RetentionConfig config = new RetentionConfig();
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final MetricRegistry metrics = new MetricRegistry();
    private Retention retention;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
        config.maxAge = io.dropwizard.util.Duration.days(30);
        config.batchSize = 3; // many batches, and batches that hold only kept rows
        config.pause = io.dropwizard.util.Duration.milliseconds(0);
        retention = new Retention("m1", new RetentionStore(database), config, leading::get, java.time.Clock.systemUTC(), metrics);
    }

    @AfterEach
    void tearDown() throws Exception {
        testDatabase.close();
    }

    /** {@code n} messages in {@code status}, created {@code createdDaysAgo} and last changed {@code changedDaysAgo}. */
    private List<Long> messages(int n, String status, int createdDaysAgo, int changedDaysAgo) throws Exception {
        long first = Rows.insertQueued(database, n, "log", "t");
        List<Long> ids = LongStream.range(first, first + n).boxed().toList();
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE message SET status = ?,"
                    + " created_at = TIMESTAMPADD(DAY, ?, NOW(3)), updated_at = TIMESTAMPADD(DAY, ?, NOW(3)) WHERE id >= ?")) {
                s.setString(1, status);
                s.setInt(2, -createdDaysAgo);
                s.setInt(3, -changedDaysAgo);
                s.setLong(4, first);
                s.executeUpdate();
            }
            MessageEvents.record(c, "m1", MessageStatus.fromWire(status), "test", ids);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO callback (message_id, status, message_attempts, state)"
                    + " SELECT id, status, 1, 'delivered' FROM message WHERE id >= ?")) {
                s.setLong(1, first);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO delivery (dedup_key, message_id, attempt, worker, claim)"
                    + " SELECT CONCAT('herald-', id, '#1'), id, 1, 'w', 'c' FROM message WHERE id >= ?")) {
                s.setLong(1, first);
                return s.executeUpdate();
            }
        });
        return ids;
    }

    private long count(String table, String column, List<Long> ids) throws Exception {
        return Rows.count(database, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " IN ("
                + String.join(",", ids.stream().map(String::valueOf).toList()) + ")");
    }

    @Test
    void a_pass_deletes_only_old_finished_messages_with_their_events_and_dedup_keys() throws Exception {
        List<Long> deleted = new ArrayList<>();
        deleted.addAll(messages(5, "sent", 40, 40));
        List<Long> kept = new ArrayList<>();
        kept.addAll(messages(4, "dead", 45, 45));     // dead letters wait for an operator
        kept.addAll(messages(2, "unknown", 40, 40));  // so do unknowns
        deleted.addAll(messages(3, "purged", 40, 35));
        kept.addAll(messages(2, "queued", 40, 40));   // still to be sent, however old
        deleted.addAll(messages(2, "rejected", 40, 40));
        kept.addAll(messages(3, "sent", 40, 2));      // old, but finished only two days ago
        kept.addAll(messages(4, "sent", 1, 1));       // young

        assertThat(retention.runOnce()).isEqualTo(deleted.size());

        assertThat(count("message", "id", deleted)).isZero();
        assertThat(count("message_event", "message_id", deleted)).isZero();
        assertThat(count("delivery", "message_id", deleted)).isZero();
        assertThat(count("callback", "message_id", deleted)).isZero();
        assertThat(count("callback", "message_id", kept)).isEqualTo(kept.size());
        assertThat(count("message", "id", kept)).isEqualTo(kept.size());
        assertThat(count("message_event", "message_id", kept)).isEqualTo(kept.size());
        assertThat(count("delivery", "message_id", kept)).isEqualTo(kept.size());
        assertThat(metrics.meter("herald.retention.deleted_messages").getCount()).isEqualTo(deleted.size());
        assertThat(retention.runOnce()).isZero();
    }

    @Test
    void a_pass_stops_at_the_first_recent_message_and_deletes_nothing_beyond_it() throws Exception {
        List<Long> old = messages(4, "sent", 40, 40);
        List<Long> recent = messages(2, "sent", 0, 0);
        // Ids follow creation time, so a row created long ago behind a recent one does not happen in
        // practice; made here, it shows the pass reads no further than the first recent message.
        List<Long> afterRecent = messages(1, "sent", 40, 40);

        assertThat(retention.runOnce()).isEqualTo(4);
        assertThat(count("message", "id", old)).isZero();
        assertThat(count("message", "id", recent)).isEqualTo(2);
        assertThat(count("message", "id", afterRecent)).isEqualTo(1);
    }

    @Test
    void a_master_that_does_not_lead_deletes_nothing() throws Exception {
        List<Long> old = messages(3, "sent", 40, 40);
        leading.set(false);
        assertThat(retention.runOnce()).isZero();
        assertThat(count("message", "id", old)).isEqualTo(3);
    }

    @Test
    void max_age_zero_turns_retention_off_and_a_tiny_max_age_is_refused() {
        config.maxAge = io.dropwizard.util.Duration.seconds(0);
        assertThat(config.enabled()).isFalse();
        assertThat(config.isMaxAgeOffOrSensible()).isTrue();
        config.maxAge = io.dropwizard.util.Duration.seconds(30);
        assertThat(config.isMaxAgeOffOrSensible()).isFalse();
        config.maxAge = io.dropwizard.util.Duration.days(7);
        assertThat(config.enabled()).isTrue();
    }
}
