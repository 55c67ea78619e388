package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.testing.SettableClock;
import io.herald.common.testing.TestDatabase;
import io.herald.master.db.DeadLetterStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterMetricsTest {
    private TestDatabase testDatabase;
    private final MetricRegistry metrics = new MetricRegistry();
    private final SettableClock clock = new SettableClock();
    private DeadLetterMetrics gauges;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        gauges = new DeadLetterMetrics("m1", new DeadLetterStore(testDatabase.database(), "m1"),
                Duration.ofMinutes(1), clock, metrics);
    }

    @AfterEach
    void tearDown() throws Exception {
        testDatabase.close();
    }

    private Object gauge(String name) {
        return ((Gauge<?>) metrics.getGauges().get(name)).getValue();
    }

    @Test
    void the_gauges_hold_the_last_reading_and_the_age_keeps_growing_between_readings() throws Exception {
        gauges.refreshOnce();
        assertThat(gauge("herald.dead_letters.count")).isEqualTo(0L);
        assertThat(gauge("herald.dead_letters.oldest_age_seconds")).isEqualTo(0.0);

        testDatabase.database().withConnection(c -> c.createStatement().executeUpdate(
                "INSERT INTO dead_letter (message_id, application, dead_at) VALUES"
                        + " (1, 'a', TIMESTAMPADD(SECOND, -100, NOW(3))), (2, 'a', NOW(3))"));
        // Not read yet: a scrape between refreshes does not touch the database.
        assertThat(gauge("herald.dead_letters.count")).isEqualTo(0L);

        gauges.refreshOnce();
        assertThat(gauge("herald.dead_letters.count")).isEqualTo(2L);
        double age = (double) gauge("herald.dead_letters.oldest_age_seconds");
        assertThat(age).isBetween(100.0, 160.0);
        clock.advance(Duration.ofSeconds(30));
        // Seconds as a double: compare within a microsecond, not bit for bit.
        assertThat((double) gauge("herald.dead_letters.oldest_age_seconds")).isCloseTo(age + 30.0, within(1e-6));
    }
}
