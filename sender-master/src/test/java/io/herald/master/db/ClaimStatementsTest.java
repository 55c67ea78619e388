package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.DatabaseConfig;
import io.herald.common.config.PolicyConfig;
import io.herald.common.db.Database;
import io.herald.common.testing.Rows;
import io.herald.common.testing.StatementCounter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fenced claim is the hot path: what it costs in statements, counted on the wire. A change that adds
 * a statement or a round trip per claim fails here and must say why.
 */
class ClaimStatementsTest extends DispatchStoreFixture {
    private Database counted;
    private DispatchStore countedStore;

    @BeforeEach
    void countingStore() throws Exception {
        DatabaseConfig config = testDatabase.config();
        config.url = config.url + (config.url.contains("?") ? "&" : "?") + StatementCounter.urlParameter();
        config.maximumPoolSize = 1;
        counted = new Database(config, "counted");
        countedStore = DispatchStores.standard(counted, new PolicyConfig(), Duration.ofSeconds(5), new MetricRegistry());
        assertThat(countedStore.acquireFence(1, "leader")).isTrue();
    }

    @AfterEach
    void closeCounted() {
        counted.close();
    }

    @Test
    void a_claim_of_two_applications_without_quotas_or_digests_costs_eleven_statements() throws Exception {
        Rows.insertQueued(database, "billing", 2, 300, "log", "t");
        Rows.insertQueued(database, "alerts", 0, 300, "log", "t");

        StatementCounter.reset();
        assertThat(countedStore.claim(1, "leader", 500, Duration.ofSeconds(30)).messageIds()).hasSize(500);
        List<String> sent = StatementCounter.sent();

        System.out.println("statements per claim: " + sent.size());
        sent.forEach(s -> System.out.println("  " + (s.length() > 110 ? s.substring(0, 110) + "..." : s)));
        // wait_timeout set and restored, autocommit off and on, commit: 5; the fence read, the due groups,
        // the policies, one UNION ALL select, one UPDATE, one multi-row INSERT of the events: 6.
        assertThat(sent).hasSize(11);
        assertThat(sent.stream().filter(s -> s.startsWith("SELECT token, paused FROM leader_fence"))).hasSize(1);
    }

    @Test
    void the_lease_reaper_reads_the_expired_rows_and_not_the_table() throws Exception {
        Rows.insertQueued(database, "billing", 2, 5_000, "log", "t");
        database.withConnection(c -> c.createStatement().executeUpdate(
                "UPDATE message SET status = IF(id % 1000 = 0, 'dispatched', 'sent'),"
                        + " next_attempt_at = TIMESTAMPADD(SECOND, IF(id % 1000 = 0, -1, 60), NOW(3))"));

        // Statistics as a running server has them (InnoDB refreshes them in the background after a
        // tenth of a table changes): on a table filled a moment ago the optimizer may not know yet that
        // (application, priority) has few values, and picks a full index scan over the loose one.
        database.withConnection(c -> c.createStatement().execute("ANALYZE TABLE message"));
        long before = rowsRead();
        DispatchStore.Reaped reaped = countedStore.reap(1, "leader", 100);
        long read = rowsRead() - before;

        assertThat(reaped.requeued()).isEqualTo(5);
        // The loose index scan for the groups and one range read per group: a few dozen index entries
        // (the status reads themselves count too), where a scan would read 5,000 rows.
        assertThat(read).isLessThan(200);
    }

    private long rowsRead() throws Exception {
        return counted.withConnection(c -> {
            long sum = 0;
            try (var rs = c.createStatement().executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
                while (rs.next()) {
                    sum += rs.getLong(2);
                }
            }
            return sum;
        });
    }
}
