package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.metrics.ApplicationLabels;
import io.herald.common.testing.PrometheusSamples;
import io.herald.common.testing.Rows;
import io.herald.common.testing.SettableClock;
import io.herald.common.testing.TestDatabase;
import io.herald.master.db.QueueStatsStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueMetricsTest {
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private TestDatabase database;
    private QueueMetrics metrics;

    @BeforeEach
    void createDatabase() throws Exception {
        database = TestDatabase.create();
        metrics = new QueueMetrics("m1", new QueueStatsStore(database.database(), 1_000), new ApplicationLabels(1), leading::get,
                Duration.ofSeconds(15), new SettableClock(), new MetricRegistry(), prometheus);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
    }

    private double queued(String application, String priority) {
        return PrometheusSamples.sum(prometheus, "herald_queue_messages",
                l -> application.equals(l.get("application")) && priority.equals(l.get("priority")));
    }

    @Test
    void the_leader_shows_the_backlog_with_applications_past_the_cap_summed_as_other() throws Exception {
        Rows.insertQueued(database.database(), "first", 2, 3, "log", "t");
        metrics.refreshOnce();
        Rows.insertQueued(database.database(), "second", 2, 4, "log", "t");
        Rows.insertQueued(database.database(), "third", 2, 5, "log", "t");

        metrics.refreshOnce();

        assertThat(queued("first", "medium")).isEqualTo(3);
        assertThat(queued(ApplicationLabels.OTHER, "medium")).isEqualTo(9);
        assertThat(PrometheusSamples.sum(prometheus, "herald_unknown_messages", l -> true)).isZero();
    }

    @Test
    void a_group_that_empties_disappears_and_a_master_that_stops_leading_shows_no_backlog() throws Exception {
        Rows.insertQueued(database.database(), "first", 0, 2, "log", "t");
        metrics.refreshOnce();
        assertThat(queued("first", "urgent")).isEqualTo(2);

        database.database().withConnection(c -> {
            try (var update = c.prepareStatement("UPDATE message SET status = 'sent'")) {
                return update.executeUpdate();
            }
        });
        Rows.insertQueued(database.database(), "first", 3, 1, "log", "t");
        metrics.refreshOnce();
        assertThat(prometheus.scrape(n -> n.equals("herald_queue_messages")).get(0).getDataPoints()).hasSize(1);
        assertThat(queued("first", "low")).isEqualTo(1);

        leading.set(false);
        metrics.refreshOnce();
        assertThat(prometheus.scrape(n -> n.startsWith("herald_queue")).stream().mapToInt(s -> s.getDataPoints().size()).sum()).isZero();
        assertThat(PrometheusSamples.sum(prometheus, "herald_unknown_messages", l -> true)).isZero();
    }
}
