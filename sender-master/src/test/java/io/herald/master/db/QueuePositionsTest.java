package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.DatabaseConfig;
import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import io.herald.master.policy.QueuePosition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queue positions in the claim's order, their estimates from dispatch_rate, and the cap on what one read costs. */
class QueuePositionsTest {
    private TestDatabase testDatabase;
    private Database database;
    private DispatchRateStore rates;
    private QueuePositions positions;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
        rates = new DispatchRateStore(database, Duration.ofSeconds(15));
        positions = new QueuePositions(database, rates, 10_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        testDatabase.close();
    }

    private void execute(String sql) throws Exception {
        database.withConnection(c -> c.createStatement().executeUpdate(sql));
    }

    private QueuePosition of(long id) throws Exception {
        return positions.of("shop", id).orElseThrow();
    }

    private Instant databaseNow() throws Exception {
        return database.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT NOW(3)")) {
                rs.next();
                return Sql.instant(rs.getTimestamp(1));
            }
        });
    }

    @Test
    void more_urgent_messages_come_first_then_the_same_priority_by_due_time_and_id() throws Exception {
        long urgent = Rows.insertQueued(database, "shop", 0, 5, "log", "t");
        long medium = Rows.insertQueued(database, "shop", 2, 4, "log", "t");
        long low = Rows.insertQueued(database, "shop", 3, 3, "log", "t");
        Rows.insertQueued(database, "other", 0, 50, "log", "t");
        // Retried a minute ago: due before the other medium ones, so ahead of them.
        execute("UPDATE message SET next_attempt_at = TIMESTAMPADD(MINUTE, -1, NOW(3)) WHERE id = " + (medium + 3));

        assertThat(of(urgent).ahead()).isZero();
        assertThat(of(urgent + 4).ahead()).isEqualTo(4);
        assertThat(of(medium + 3).ahead()).isEqualTo(5);
        assertThat(of(medium).ahead()).isEqualTo(6);
        assertThat(of(medium + 2).ahead()).isEqualTo(8);
        assertThat(of(low + 2).ahead()).isEqualTo(5 + 4 + 2);
        assertThat(of(low).atLeast()).isFalse();

        // What left the queue is no longer ahead; and a message past queued has no position at all.
        execute("UPDATE message SET status = 'dispatched' WHERE id IN (" + urgent + ", " + (urgent + 1) + ")");
        assertThat(of(low + 2).ahead()).isEqualTo(3 + 4 + 2);
        assertThat(positions.of("shop", urgent)).isEmpty();
        assertThat(positions.of("other", low)).isEmpty();
    }

    @Test
    void messages_due_at_the_same_millisecond_are_ordered_by_id() throws Exception {
        long first = Rows.insertQueued(database, "shop", 1, 3, "log", "t");
        execute("UPDATE message SET next_attempt_at = TIMESTAMP('2026-01-01 00:00:00.123')");

        assertThat(of(first).ahead()).isZero();
        assertThat(of(first + 1).ahead()).isEqualTo(1);
        assertThat(of(first + 2).ahead()).isEqualTo(2);
    }

    @Test
    void a_scheduled_message_counts_what_is_due_before_its_time_and_is_estimated_no_earlier_than_it() throws Exception {
        long urgent = Rows.insertQueued(database, "shop", 0, 3, "log", "t");
        long medium = Rows.insertQueued(database, "shop", 2, 2, "log", "t");
        long scheduled = Rows.insertQueued(database, "shop", 2, 1, "log", "t");
        execute("UPDATE message SET send_at = TIMESTAMPADD(HOUR, 1, NOW(3)), next_attempt_at = TIMESTAMPADD(HOUR, 1, NOW(3))"
                + " WHERE id = " + scheduled);
        // Due after it: not ahead of it, whatever the priority.
        execute("UPDATE message SET next_attempt_at = TIMESTAMPADD(HOUR, 2, NOW(3)) WHERE id IN (" + urgent + ", " + medium + ")");

        QueuePosition position = of(scheduled);

        assertThat(position.ahead()).isEqualTo(2 + 1);
        Instant sendAt = database.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT send_at FROM message WHERE id = " + scheduled)) {
                rs.next();
                return Sql.instant(rs.getTimestamp(1));
            }
        });
        // No dispatch rate: three ahead, so no estimate.
        assertThat(position.estimatedDispatchAt()).isNull();
        rates.replace(Map.of("shop", 10.0));
        assertThat(of(scheduled).estimatedDispatchAt()).isEqualTo(sendAt);
        // Alone at the head of its queue, a message is estimated at its due time, with or without a rate.
        rates.replace(Map.of());
        assertThat(of(urgent + 1).ahead()).isZero();
        assertThat(of(urgent + 1).estimatedDispatchAt()).isNotNull();
    }

    @Test
    void the_estimate_is_now_plus_the_messages_ahead_at_the_applications_rate_and_a_stale_rate_gives_none() throws Exception {
        long first = Rows.insertQueued(database, "shop", 2, 41, "log", "t");
        rates.replace(Map.of("shop", 4.0, "other", 1.0));

        Instant before = databaseNow();
        QueuePosition last = of(first + 40);
        Instant after = databaseNow();

        assertThat(last.ahead()).isEqualTo(40);
        assertThat(last.estimatedDispatchAt()).isBetween(before.plusSeconds(10), after.plusSeconds(10));
        assertThat(of(first).estimatedDispatchAt()).isBetween(before, databaseNow());

        execute("UPDATE dispatch_rate SET measured_at = TIMESTAMPADD(MINUTE, -1, NOW(3))");
        assertThat(of(first + 40).estimatedDispatchAt()).isNull();
    }

    @Test
    void past_the_cap_the_position_is_a_lower_bound_and_the_read_stops_at_the_cap() throws Exception {
        Rows.insertQueued(database, "shop", 0, 3_000, "log", "t");
        Rows.insertQueued(database, "shop", 1, 2_000, "log", "t");
        long last = Rows.insertQueued(database, "shop", 3, 1, "log", "t");
        database.withConnection(c -> c.createStatement().execute("ANALYZE TABLE message"));
        DatabaseConfig config = testDatabase.config();
        config.maximumPoolSize = 1;
        try (Database counted = new Database(config, "counted")) {
            QueuePositions capped = new QueuePositions(counted, new DispatchRateStore(counted, Duration.ofSeconds(15)), 100);
            Map<String, Long> before = reads(counted);
            QueuePosition position = capped.of("shop", last).orElseThrow();
            Map<String, Long> after = reads(counted);

            assertThat(position.ahead()).isEqualTo(100);
            assertThat(position.atLeast()).isTrue();
            // Index entries: one more than the cap in all (the derived tables' LIMITs), plus one dive per
            // statement (the message's row, each priority's range, the rate); uncapped it would be 5,000.
            assertThat(delta(before, after, "next", "prev", "first", "last")).isLessThanOrEqualTo(100 + 1);
            assertThat(delta(before, after, "key")).isLessThanOrEqualTo(10);
            // Each derived table's rows are counted back once from memory, so at most the cap again.
            assertThat(delta(before, after, "rnd_next", "rnd")).isLessThanOrEqualTo(100 + 1 + 3);

            QueuePositions wide = new QueuePositions(counted, new DispatchRateStore(counted, Duration.ofSeconds(15)), 5_000);
            assertThat(wide.of("shop", last).orElseThrow()).extracting(QueuePosition::ahead, QueuePosition::atLeast)
                    .containsExactly(5_000L, false);
        }
    }

    /** The session's Handler_read_* counters, by name without the prefix. */
    private static Map<String, Long> reads(Database counted) throws Exception {
        return counted.withConnection(c -> {
            Map<String, Long> reads = new java.util.HashMap<>();
            try (PreparedStatement status = c.prepareStatement("SHOW SESSION STATUS LIKE 'Handler_read%'");
                 ResultSet rs = status.executeQuery()) {
                while (rs.next()) {
                    reads.put(rs.getString(1).substring("Handler_read_".length()), rs.getLong(2));
                }
            }
            return reads;
        });
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String... counters) {
        long sum = 0;
        for (String counter : counters) {
            sum += after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
        }
        return sum;
    }
}
