package io.herald.tools.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * {@code --prefill N}: N messages already sent, written before the measured run as the real path leaves
 * them (a sent message row, its attempt's dedup key in {@code delivery}, and its audit trail: queued,
 * dispatched, sending, sent), in multi-row inserts, so the run shows whether claims, outcomes and
 * status reads cost more with a full table. The rows are dated now, so retention leaves them alone.
 */
final class Prefill {
    static final int ROWS_PER_INSERT = 2_000;
    private static final String CLAIM = "00000000-0000-0000-0000-00000000fill";
    private static final String[][] TRAIL = {
        {"queued", "bench-master", "submitted through the API"},
        {"dispatched", "bench-master", "claimed by the leader (token 1)"},
        {"sending", "bench-prefill", "reserved by a worker for attempt 1"},
        {"sent", "bench-prefill", "attempt 1 sent"},
    };

    private Prefill() {}

    /** Inserts messages with ids 1..count of {@code application}; reports progress every 10 %. */
    static void insert(Connection c, String application, long count, Consumer<String> progress) throws SQLException {
        long step = Math.max(ROWS_PER_INSERT, count / 10 / ROWS_PER_INSERT * ROWS_PER_INSERT);
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            for (long from = 1; from <= count; from += ROWS_PER_INSERT) {
                long to = Math.min(count, from + ROWS_PER_INSERT - 1);
                s.executeUpdate(messages(application, from, to));
                s.executeUpdate(deliveries(from, to));
                s.executeUpdate(events(from, to));
                if (to % step == 0 || to == count) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    progress.accept("prefilled %,d of %,d sent messages (%,.0f/s)".formatted(to, count, to / seconds));
                }
            }
        }
    }

    static String messages(String application, long from, long to) {
        StringBuilder sql = new StringBuilder(ROWS_PER_INSERT * 160).append(
                "INSERT INTO message (id, application, channel, target, subject, body, priority, status, attempts, sent_at) VALUES ");
        for (long id = from; id <= to; id++) {
            sql.append(id == from ? "" : ",").append('(').append(id).append(",'").append(application)
                    .append("','webhook','http://127.0.0.1:9/prefilled','prefill','0',2,'sent',1,CURRENT_TIMESTAMP(3))");
        }
        return sql.toString();
    }

    static String deliveries(long from, long to) {
        StringBuilder sql = new StringBuilder(ROWS_PER_INSERT * 90).append(
                "INSERT INTO delivery (dedup_key, message_id, attempt, worker, claim) VALUES ");
        for (long id = from; id <= to; id++) {
            sql.append(id == from ? "" : ",").append("('herald-").append(id).append("#1',").append(id)
                    .append(",1,'bench-prefill','").append(CLAIM).append("')");
        }
        return sql.toString();
    }

    static String events(long from, long to) {
        StringBuilder sql = new StringBuilder(ROWS_PER_INSERT * 4 * 70).append(
                "INSERT INTO message_event (message_id, status, node, reason) VALUES ");
        boolean first = true;
        for (long id = from; id <= to; id++) {
            for (String[] e : TRAIL) {
                sql.append(first ? "" : ",").append('(').append(id).append(",'").append(e[0]).append("','").append(e[1])
                        .append("','").append(e[2]).append("')");
                first = false;
            }
        }
        return sql.toString();
    }
}
