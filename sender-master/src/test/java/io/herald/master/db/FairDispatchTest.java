package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.testing.Rows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fair claim against the real database: applications share batches by weight, priorities by weight. */
class FairDispatchTest extends DispatchStoreFixture {
    private static final int BATCH = 1_000;

    @BeforeEach
    void takeFence() throws Exception {
        store.acquireFence(1, "leader");
    }

    @Test
    void a_flood_of_50000_from_one_application_does_not_hold_back_100_from_another() throws Exception {
        Rows.insertQueued(database, "flood", 2, 50_000, "log", "t");
        int floodBefore = 0;
        for (int i = 0; i < 5; i++) {
            floodBefore += claim().size();
        }
        long firstSmall = Rows.insertQueued(database, "small", 2, 100, "log", "t");

        int batches = 0;
        int floodDuring = 0;
        int smallDispatched = 0;
        while (smallDispatched < 100 && batches < 50) {
            Map<String, Integer> byApplication = applications(claim());
            batches++;
            smallDispatched += byApplication.getOrDefault("small", 0);
            floodDuring += byApplication.getOrDefault("flood", 0);
        }

        System.out.printf("fairness: flood of 50,000 from 'flood', then 100 from 'small' after %,d flood messages were"
                        + " dispatched; all 100 of 'small' dispatched in %d claim batch(es) of %,d, while %,d more flood"
                        + " messages went out (%.1f%% of the flood); the old global FIFO claim would have dispatched the"
                        + " remaining %,d flood messages first%n",
                floodBefore, batches, BATCH, floodDuring, 100.0 * floodDuring / 50_000, 50_000 - floodBefore);
        assertThat(smallDispatched).isEqualTo(100);
        assertThat(batches).isEqualTo(1);
        assertThat(floodDuring).isEqualTo(BATCH - 100);
        assertThat(status(firstSmall)).isEqualTo("dispatched");
    }

    @Test
    void weights_set_per_application_split_the_batch_in_proportion() throws Exception {
        Rows.insertQueued(database, "heavy", 2, 5_000, "log", "t");
        Rows.insertQueued(database, "light", 2, 5_000, "log", "t");
        Rows.insertQueued(database, "default", 2, 5_000, "log", "t");
        execute("INSERT INTO application_policy (application, weight) VALUES ('heavy', 6), ('light', 1)");
        // default weight 1 from the configuration

        Map<String, Integer> byApplication = applications(claim());

        System.out.printf("weights heavy=6 light=1 default=1: one batch of %,d took %s%n", BATCH, byApplication);
        assertThat(byApplication).containsEntry("heavy", 750).containsEntry("light", 125).containsEntry("default", 125);
    }

    @Test
    void urgent_goes_first_and_low_still_moves_under_a_flood_of_urgent() throws Exception {
        long firstUrgent = Rows.insertQueued(database, "app", 0, 5_000, "log", "t");
        long firstLow = Rows.insertQueued(database, "app", 3, 500, "log", "t");

        List<Long> batch = claim();
        long urgent = batch.stream().filter(id -> id >= firstUrgent && id < firstLow).count();
        long low = batch.size() - urgent;

        System.out.printf("priorities: 5,000 urgent and 500 low queued; one batch of %,d took %d urgent and %d low"
                + " (weights 8:1)%n", BATCH, urgent, low);
        assertThat(urgent).isEqualTo(889);
        assertThat(low).isEqualTo(111);
        // Within the batch urgent comes first, so workers take it first.
        assertThat(batch.subList(0, (int) urgent)).allMatch(id -> id < firstLow);
        int batches = 1;
        while (Rows.count(database, "SELECT COUNT(*) FROM message WHERE priority = 3 AND status = 'queued'") > 0) {
            claim();
            batches++;
        }
        System.out.printf("priorities: all 500 low dispatched after %d batches, while 5,000 urgent were still being drained%n", batches);
        assertThat(batches).isLessThanOrEqualTo(5);
    }

    @Test
    void slots_a_small_group_cannot_use_go_to_the_others_in_the_same_batch() throws Exception {
        Rows.insertQueued(database, "big", 2, 3_000, "log", "t");
        Rows.insertQueued(database, "tiny", 2, 10, "log", "t");
        Rows.insertQueued(database, "tiny", 0, 3, "log", "t");

        Map<String, Integer> byApplication = applications(claim());

        assertThat(byApplication).containsEntry("tiny", 13).containsEntry("big", BATCH - 13);
    }

    @Test
    void messages_not_yet_due_are_not_claimed() throws Exception {
        long first = Rows.insertQueued(database, "later", 1, 5, "log", "t");
        execute("UPDATE message SET next_attempt_at = TIMESTAMPADD(MINUTE, 5, NOW(3)) WHERE id < " + (first + 3));
        assertThat(claim()).containsExactlyInAnyOrder(first + 3, first + 4);
        assertThat(claim()).isEmpty();
    }

    private List<Long> claim() throws Exception {
        return store.claim(1, "leader", BATCH, LEASE).messageIds();
    }

    private Map<String, Integer> applications(List<Long> ids) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        if (ids.isEmpty()) {
            return counts;
        }
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT application, COUNT(*) FROM message WHERE id IN ("
                    + io.herald.common.db.Sql.placeholders(ids.size()) + ") GROUP BY application")) {
                io.herald.common.db.Sql.bindLongs(s, 1, ids);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return null;
        });
        return counts;
    }

    private String status(long id) throws Exception {
        return database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status FROM message WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

}
