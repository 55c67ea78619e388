package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.db.Database;
import io.herald.common.testing.Rows;
import io.herald.common.testing.DatabaseExtension;
import io.herald.master.api.DeadLetterFilter;
import io.herald.master.api.DeadLetterView;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeadLetterStoreTest {
    @RegisterExtension
    final DatabaseExtension scratch = new DatabaseExtension();

    private Database database;
    private DeadLetterStore store;

    @BeforeEach
    void setUp() {
        database = scratch.database();
        store = new DeadLetterStore(database, "master-a");
    }

    /** {@code n} dead letters of {@code application}, dead since {@code ageSeconds} ago; returns their ids. */
    private List<Long> deadLetters(int n, String application, int ageSeconds) throws Exception {
        long first = Rows.insertQueued(database, n, "log", "t");
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE message SET status = 'dead', attempts = 3,"
                    + " last_error = 'HTTP 410', application = ? WHERE id >= ?")) {
                s.setString(1, application);
                s.setLong(2, first);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dead_letter (message_id, application, dead_at)"
                    + " SELECT id, application, TIMESTAMPADD(SECOND, ?, NOW(3)) FROM message WHERE id >= ?")) {
                s.setInt(1, -ageSeconds);
                s.setLong(2, first);
                return s.executeUpdate();
            }
        });
        return LongStream.range(first, first + n).boxed().toList();
    }

    private static DeadLetterFilter filter(List<Long> ids, String application, Duration olderThan) {
        return new DeadLetterFilter(ids, application, olderThan);
    }

    @Test
    void pages_walk_every_dead_letter_once_oldest_first() throws Exception {
        List<Long> young = deadLetters(7, "app", 10);
        List<Long> old = deadLetters(5, "app", 3_600);

        List<Long> seen = new ArrayList<>();
        DeadLetterStore.Cursor cursor = null;
        int pages = 0;
        do {
            DeadLetterStore.Page page = store.list(filter(List.of(), null, null), cursor, 4);
            page.items().forEach(d -> seen.add(d.id()));
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 10);

        List<Long> expected = new ArrayList<>(old);
        expected.addAll(young);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(3);
        DeadLetterView first = store.list(filter(List.of(), null, null), null, 1).items().get(0);
        assertThat(first.error()).isEqualTo("HTTP 410");
        assertThat(first.attempts()).isEqualTo(3);
        assertThat(first.application()).isEqualTo("app");
    }

    @Test
    void the_list_filters_by_application_and_age() throws Exception {
        List<Long> billingOld = deadLetters(2, "billing", 7_200);
        deadLetters(2, "billing", 5);
        deadLetters(3, "deploys", 7_200);

        assertThat(store.list(filter(List.of(), "billing", Duration.ofHours(1)), null, 100).items())
                .extracting(DeadLetterView::id).containsExactlyElementsOf(billingOld);
        assertThat(store.list(filter(List.of(), "deploys", null), null, 100).items()).hasSize(3);
        assertThat(store.list(filter(List.of(), null, Duration.ofHours(1)), null, 100).items()).hasSize(5);
        assertThat(store.list(filter(List.of(), "nobody", null), null, 100).items()).isEmpty();
    }

    @Test
    void requeue_by_application_and_age_touches_only_what_matches_and_records_it() throws Exception {
        List<Long> target = deadLetters(3, "billing", 7_200);
        List<Long> tooYoung = deadLetters(2, "billing", 5);
        List<Long> otherApp = deadLetters(2, "deploys", 7_200);

        assertThat(store.requeue(filter(List.of(), "billing", Duration.ofHours(1)), "test requeue", Integer.MAX_VALUE)).isEqualTo(3);

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'queued' AND retry_base = 3"
                + " AND id IN (" + join(target) + ")")).isEqualTo(3);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM dead_letter")).isEqualTo(4);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'dead' AND id IN ("
                + join(tooYoung) + "," + join(otherApp) + ")")).isEqualTo(4);
        assertThat(Rows.events(database, target.get(0))).containsExactly("queued@master-a");
        assertThat(Rows.events(database, tooYoung.get(0))).isEmpty();
    }

    @Test
    void a_limited_requeue_takes_the_oldest_that_many_across_chunks_and_the_next_call_the_rest() throws Exception {
        List<Long> ids = deadLetters(DeadLetterStore.CHUNK + 30, "app", 60);
        int first = DeadLetterStore.CHUNK + 10;

        assertThat(store.requeue(filter(List.of(), "app", null), "limited", first)).isEqualTo(first);
        assertThat(store.list(filter(List.of(), null, null), null, 100).items()).extracting(DeadLetterView::id)
                .containsExactlyElementsOf(ids.subList(first, ids.size()));
        assertThat(store.requeue(filter(List.of(), "app", null), "limited", first)).isEqualTo(20);
        assertThat(store.requeue(filter(List.of(), "app", null), "limited", first)).isZero();
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message WHERE status = 'queued'")).isEqualTo(ids.size());
    }

    @Test
    void purge_by_id_works_in_chunks_and_leaves_the_rest() throws Exception {
        List<Long> ids = deadLetters(DeadLetterStore.CHUNK * 2 + 20, "app", 60);
        List<Long> keep = ids.subList(0, 10);
        List<Long> purge = ids.subList(10, ids.size());

        assertThat(store.purge(filter(purge, null, null), "test purge", Integer.MAX_VALUE)).isEqualTo(purge.size());

        assertThat(Rows.count(database, "SELECT COUNT(*) FROM dead_letter")).isEqualTo(10);
        assertThat(Rows.statusCounts(database)).containsEntry("purged", purge.size()).containsEntry("dead", 10);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event WHERE status = 'purged' AND reason = 'test purge'"))
                .isEqualTo(purge.size());
        assertThat(store.list(filter(List.of(), null, null), null, 100).items()).extracting(DeadLetterView::id)
                .containsExactlyElementsOf(keep);
    }

    @Test
    void stats_count_dead_letters_and_the_oldest_age() throws Exception {
        assertThat(store.stats()).isEqualTo(new DeadLetterStore.Stats(0, Duration.ZERO));
        deadLetters(3, "app", 90);
        deadLetters(2, "app", 10);

        DeadLetterStore.Stats stats = store.stats();
        assertThat(stats.count()).isEqualTo(5);
        assertThat(stats.oldestAge()).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(150));
    }

    @Test
    void an_operator_requeue_by_message_id_also_clears_the_dead_letter() throws Exception {
        List<Long> ids = deadLetters(2, "app", 60);
        new MessageStore(database, "master-b").requeue(List.of(ids.get(0)));

        assertThat(store.list(filter(List.of(), null, null), null, 10).items()).extracting(DeadLetterView::id)
                .containsExactly(ids.get(1));
        assertThat(store.stats().count()).isEqualTo(1);
    }

    private static String join(List<Long> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }
}
