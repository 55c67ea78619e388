package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.db.Database;
import io.herald.common.model.MessageStatus;
import io.herald.common.testing.Rows;
import io.herald.common.testing.DatabaseExtension;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueStatsStoreTest {
    @RegisterExtension
    final DatabaseExtension scratch = new DatabaseExtension();

    private Database database;

    @BeforeEach
    void createDatabase() throws Exception {
        database = scratch.database();
        // Sent rows, many: the reads below must not walk them.
        Rows.insertQueued(database, "busy", 2, 2_000, "log", "t");
        execute("UPDATE message SET status = 'sent'");
        execute("ANALYZE TABLE message");
    }

    @Test
    void counts_queued_messages_per_group_up_to_the_cap_with_the_oldest_due_age_and_the_unknown_ones() throws Exception {
        Rows.insertQueued(database, "busy", 2, 5, "log", "t");
        Rows.insertQueued(database, "busy", 0, 2, "log", "t");
        long later = Rows.insertQueued(database, "calm", 3, 1, "log", "t");
        execute("UPDATE message SET next_attempt_at = NOW(3) + INTERVAL 1 HOUR WHERE id = " + later);
        execute("UPDATE message SET next_attempt_at = NOW(3) - INTERVAL 10 MINUTE WHERE application = 'busy' AND priority = 2"
                + " AND status = 'queued'");
        long unknown = Rows.insertQueued(database, "calm", 2, 3, "log", "t");
        execute("UPDATE message SET status = 'unknown' WHERE id >= " + unknown);

        QueueStatsStore.Stats stats = new QueueStatsStore(database, 4).read();

        assertThat(stats.queued()).extracting(QueueStatsStore.Group::application, QueueStatsStore.Group::priority,
                QueueStatsStore.Group::count).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("busy", 2, 4L),
                        org.assertj.core.groups.Tuple.tuple("busy", 0, 2L),
                        org.assertj.core.groups.Tuple.tuple("calm", 3, 1L));
        assertThat(stats.queued().get(0).oldestDueAge().toMinutes()).isBetween(9L, 11L);
        assertThat(stats.queued().get(2).oldestDueAge().isZero()).as("not due yet").isTrue();
        assertThat(stats.unknown()).isEqualTo(3);
    }

    @Test
    void the_group_read_is_a_loose_index_scan_and_the_counts_are_index_ranges_that_skip_sent_rows() throws Exception {
        Rows.insertQueued(database, "busy", 2, 3, "log", "t");

        for (MessageStatus status : List.of(MessageStatus.QUEUED, MessageStatus.UNKNOWN)) {
            assertThat(explain(QueueStatsStore.groups(status))).contains("ix_message_fair").contains("Using index for group-by");
            assertThat(explain(count(status))).contains("message ref ix_message_fair");
        }
        // What the engine read, not what the optimizer guessed: a few index entries, none of the 2,000 sent rows.
        assertThat(indexReads(QueueStatsStore.groups(MessageStatus.QUEUED))).isLessThan(50);
        assertThat(indexReads(count(MessageStatus.QUEUED))).isLessThan(50);
    }

    private static String count(MessageStatus status) {
        return QueueStatsStore.groupCount(status).replaceFirst("\\?", "'busy'").replaceFirst("\\?", "2").replaceFirst("\\?", "1000");
    }

    /** The plan's rows, as one line a table: "table type key extra". */
    private String explain(String sql) throws Exception {
        return database.withConnection(c -> {
            List<String> lines = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString("table") + " " + rs.getString("type") + " " + rs.getString("key") + " " + rs.getString("Extra"));
                }
            }
            return String.join("\n", lines);
        });
    }

    /** Index entries and rows the engine read to run {@code sql} (Handler_read_*, this session only). */
    private long indexReads(String sql) throws Exception {
        return database.withConnection(c -> {
            try (PreparedStatement flush = c.prepareStatement("FLUSH STATUS")) {
                flush.execute();
            }
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
            long reads = 0;
            try (PreparedStatement s = c.prepareStatement("SHOW SESSION STATUS LIKE 'Handler_read%'"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reads += rs.getLong(2);
                }
            }
            return reads;
        });
    }

    private void execute(String sql) throws Exception {
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                return s.execute();
            }
        });
    }
}
