package io.herald.tools.bench;

import com.icegreen.greenmail.util.GreenMail;
import io.herald.common.metrics.PrometheusText;
import io.herald.common.model.MessageStatus;
import io.herald.common.transition.StatusSql;
import io.herald.tools.cluster.Probes;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.ScratchDatabase;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What arrived, as the receivers and the database saw it: distinct messages and duplicates, per channel. */
final class Deliveries {
    private final LocalCluster cluster;
    private final ScratchDatabase database;
    private final List<String> workerAdmins;
    private final BenchOptions options;

    Deliveries(LocalCluster cluster, ScratchDatabase database, List<String> workerAdmins, BenchOptions options) {
        this.cluster = cluster;
        this.database = database;
        this.workerAdmins = workerAdmins;
        this.options = options;
    }

    static Map<String, Long> email(GreenMail smtp) throws Exception {
        Map<String, Integer> perId = new HashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            perId.merge(m.getHeader("X-Herald-Message-Id")[0], 1, Integer::sum);
        }
        long duplicates = perId.values().stream().mapToLong(n -> n - 1).sum();
        return Map.of("distinct", (long) perId.size(), "duplicates", duplicates);
    }

    private static final String SENT_PAGE = PrometheusText.pathFor("herald_messages_total");

    /**
     * The log channel has no receiver. While it runs, the workers' own count of sends (their
     * herald_messages_total{status="sent"}, from the admin port) says how far it got, without a query that would
     * read the message table (a prefilled one especially) and count in the database figures.
     */
    int sentByWorkers() {
        int sent = 0;
        for (String workerAdmin : workerAdmins) {
            try {
                sent += (int) PrometheusText.sum(cluster.get(workerAdmin + SENT_PAGE).body(), "herald_messages_total",
                        "status=\"sent\"");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } catch (Exception e) {
                return 0; // a worker not answering this moment: asked again on the next poll
            }
        }
        return sent;
    }

    /**
     * A send is counted before its outcome is written: for the log channel, the measured window ends
     * only once the database holds every outcome (a primary-key range past the prefilled rows).
     */
    void awaitOutcomesRecorded(int expected) throws Exception {
        if (options.channel.equals("log")) {
            Probes.awaitCondition(Duration.ofSeconds(30), "the outcomes of " + expected + " sends",
                    () -> sentInDatabase() >= expected);
        }
    }

    private long sentInDatabase() throws java.sql.SQLException {
        return database.queryLong("SELECT COUNT(*) FROM message WHERE id > " + options.prefill + " AND " + StatusSql.is(MessageStatus.SENT));
    }

    Map<String, Long> log() throws Exception {
        long extraAttempts = database.queryLong("SELECT COUNT(*) - COUNT(DISTINCT message_id) FROM delivery WHERE message_id > "
                + options.prefill);
        return Map.of("distinct", sentInDatabase(), "duplicates", extraAttempts);
    }
}
