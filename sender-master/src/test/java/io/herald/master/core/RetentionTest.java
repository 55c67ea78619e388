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

    /** A fan-out in {@code state}, created {@code createdDaysAgo} and last changed {@code changedDaysAgo}, with a message per status. */
    private long fanout(String state, int createdDaysAgo, int changedDaysAgo, String... messageStatuses) throws Exception {
        long id = database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO fanout (application, topic, channel, state, priority,"
                    + " max_subscriber_id, total, created, created_at, updated_at) VALUES ('news', 'daily', 'log', ?, 2, ?, ?, ?,"
                    + " TIMESTAMPADD(DAY, ?, NOW(3)), TIMESTAMPADD(DAY, ?, NOW(3)))", java.sql.Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, state);
                s.setInt(2, messageStatuses.length);
                s.setInt(3, messageStatuses.length);
                s.setInt(4, messageStatuses.length);
                s.setInt(5, -createdDaysAgo);
                s.setInt(6, -changedDaysAgo);
                s.executeUpdate();
                try (var keys = s.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        for (int i = 0; i < messageStatuses.length; i++) {
            long message = Rows.insertQueued(database, "news", 2, 1, "log", "reader-" + i);
            int subscriber = i + 1;
            database.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE message SET status = ?, idempotency_key = ? WHERE id = ?")) {
                    s.setString(1, messageStatuses[subscriber - 1]);
                    s.setBytes(2, ("\u0000fanout/" + id + "/" + subscriber).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    s.setLong(3, message);
                    return s.executeUpdate();
                }
            });
        }
        return id;
    }

    private String fanoutState(long id) throws Exception {
        return database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state FROM fanout WHERE id = ?")) {
                s.setLong(1, id);
                try (var rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    @Test
    void a_pass_deletes_fan_outs_done_or_cancelled_before_the_horizon_and_keeps_the_others() throws Exception {
        List<Long> deleted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {               // more than a batch of 3
            deleted.add(fanout("done", 45, 40));
        }
        deleted.add(fanout("cancelled", 40, 35));
        long creating = fanout("creating", 40, 40);  // still creating its messages, however old
        long recentlyDone = fanout("done", 40, 2);
        long open = fanout("sending", 40, 40, "sent", "queued");
        long young = fanout("done", 1, 1);

        retention.runOnce();

        assertThat(deleted).allSatisfy(id -> assertThat(fanoutState(id)).isNull());
        assertThat(fanoutState(creating)).isEqualTo("creating");
        assertThat(fanoutState(recentlyDone)).isEqualTo("done");
        assertThat(fanoutState(open)).as("a message still queued").isEqualTo("sending");
        assertThat(fanoutState(young)).isEqualTo("done");
        assertThat(metrics.meter("herald.retention.deleted_fanouts").getCount()).isEqualTo(deleted.size());
    }

    @Test
    void a_fan_out_nobody_polled_is_found_done_and_deleted_once_that_is_old() throws Exception {
        long unpolled = fanout("sending", 40, 40, "sent", "opted_out", "dead");

        retention.runOnce();
        assertThat(fanoutState(unpolled)).as("counted and done now, a change").isEqualTo("done");
        assertThat(Rows.count(database, "SELECT sent + suppressed + dead FROM fanout WHERE id = " + unpolled)).isEqualTo(3);
        retention.runOnce();
        assertThat(fanoutState(unpolled)).isEqualTo("done");

        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE fanout SET updated_at = TIMESTAMPADD(DAY, -31, NOW(3))")) {
                return s.executeUpdate();
            }
        });
        retention.runOnce();
        assertThat(fanoutState(unpolled)).isNull();
    }

    @Test
    void a_master_that_does_not_lead_deletes_no_fan_out() throws Exception {
        long old = fanout("done", 40, 40);
        leading.set(false);
        retention.runOnce();
        assertThat(fanoutState(old)).isEqualTo("done");
    }
}
