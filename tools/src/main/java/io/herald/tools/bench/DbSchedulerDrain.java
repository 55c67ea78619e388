package io.herald.tools.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.MySQL8JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.herald.common.db.DriverSettings;
import io.herald.tools.cluster.ScratchDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --against db-scheduler}: the per-message scheduler Herald is compared with, draining the same
 * webhooks on the same database server into the same receiver. Each webhook is a one-time task in
 * db-scheduler's own table ({@code scheduled_tasks}, its MySQL schema), executed by 32 threads that
 * POST it and wait for the answer; polling is lock-and-fetch ({@code SELECT ... FOR UPDATE SKIP LOCKED},
 * MySQL 8 dialect, which MariaDB 10.6+ also speaks). One sequential client schedules them in batches of
 * {@link EndToEnd#BATCH}; the clock runs from the first enqueue to the last delivery.
 */
final class DbSchedulerDrain implements AutoCloseable {
    static final int THREADS = 32;
    /** How often an idle scheduler looks for due tasks; once busy, lock-and-fetch refills itself at half its threads. */
    static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);

    private static final String SCHEMA = """
            CREATE TABLE scheduled_tasks (
              task_name VARCHAR(100) NOT NULL,
              task_instance VARCHAR(100) NOT NULL,
              task_data BLOB,
              execution_time TIMESTAMP(6) NOT NULL,
              picked BOOLEAN NOT NULL,
              picked_by VARCHAR(50),
              last_success TIMESTAMP(6) NULL,
              last_failure TIMESTAMP(6) NULL,
              consecutive_failures INT,
              last_heartbeat TIMESTAMP(6) NULL,
              version BIGINT NOT NULL,
              priority SMALLINT,
              PRIMARY KEY (task_name, task_instance),
              INDEX execution_time_idx (execution_time),
              INDEX last_heartbeat_idx (last_heartbeat),
              INDEX priority_execution_time_idx (priority DESC, execution_time ASC)
            )""";

    private final HikariDataSource dataSource;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final OneTimeTask<String> webhook;
    private final Scheduler scheduler;
    private final URI target;

    DbSchedulerDrain(ScratchDatabase database, String targetUrl) throws Exception {
        this.target = URI.create(targetUrl);
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS scheduled_tasks");
            s.execute(SCHEMA);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(THREADS + 4);
        config.setPoolName("db-scheduler");
        // The driver settings Herald's own pool uses, so that neither side wins on them.
        DriverSettings.apply(config);
        this.dataSource = new HikariDataSource(config);
        this.webhook = Tasks.oneTime("webhook", String.class).execute((instance, context) -> post(instance));
        this.scheduler = Scheduler.create(dataSource, webhook)
                .threads(THREADS)
                .pollUsingLockAndFetch(0.5, 1.0)
                .pollingInterval(POLLING_INTERVAL)
                .jdbcCustomization(new MySQL8JdbcCustomization(true)) // timestamps persisted in UTC
                .build();
    }

    /** One webhook: POST, and fail the execution (db-scheduler retries it later) unless the answer is 2xx. */
    private void post(TaskInstance<String> instance) {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "dbs-" + instance.getId())
                .POST(HttpRequest.BodyPublishers.ofString(instance.getData())).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new IllegalStateException("the receiver answered " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("sending failed: " + e, e);
        }
    }

    void start() {
        scheduler.start();
    }

    /** Schedules webhooks {@code from} (inclusive) to {@code to} (exclusive), due now, in one batch. */
    void enqueue(int from, int to) {
        List<TaskInstance<?>> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            batch.add(webhook.instance(Integer.toString(i), "{\"subject\":\"bench\",\"body\":\"0\",\"n\":" + i + "}"));
        }
        scheduler.scheduleBatch(batch, Instant.now());
    }

    @Override
    public void close() {
        scheduler.stop();
        dataSource.close();
    }
}
