package io.herald.master.db;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.herald.common.config.PolicyConfig;
import java.time.Duration;
import io.herald.common.db.Database;
import io.herald.common.testing.PrometheusSamples;
import io.herald.common.testing.DatabaseExtension;
import io.herald.common.testing.TestDatabase;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh database per test and a DispatchStore on it with the default policy. */
abstract class DispatchStoreFixture {
    /** For tests that take the fence in {@code @BeforeEach} and claim with this lease. */
    protected static final Duration LEASE = Duration.ofMinutes(5);

    @RegisterExtension
    final DatabaseExtension scratch = new DatabaseExtension();

    protected TestDatabase testDatabase;
    protected Database database;
    protected MetricRegistry metrics;
    protected PrometheusRegistry prometheus;
    protected DispatchStore store;

    @BeforeEach
    void createStore() throws Exception {
        testDatabase = scratch.testDatabase();
        database = testDatabase.database();
        metrics = new MetricRegistry();
        prometheus = new PrometheusRegistry();
        store = DispatchStores.standard(database, new PolicyConfig(), Duration.ofSeconds(5), metrics, prometheus);
    }

    /** A policy counter's value, summed over the applications whose label matches ({@code null}: all). */
    protected long policyCount(String name, String application) {
        return (long) PrometheusSamples.sum(prometheus, name, l -> application == null || application.equals(l.get("application")));
    }

    protected void execute(String sql) throws Exception {
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                return s.executeUpdate();
            }
        });
    }

    /** Submits one message through a MessageStore of master-a; returns its id. */
    protected long submit(String application, Channel channel, String target, NewMessage.Audience audience) throws Exception {
        NewMessage m = new NewMessage(application, channel, target, channel == Channel.EMAIL ? "s" : null, "body", Priority.MEDIUM,
                null, null, null, null, null, null, audience);
        return new MessageStore(database, "master-a").submit(List.of(m), "", null).stream().map(SubmitResult::id).findFirst().orElseThrow();
    }

    protected String status(String application, long id) throws Exception {
        return new MessageStore(database, "master-a").find(application, id).orElseThrow().status();
    }
}
