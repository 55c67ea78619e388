package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.db.Database;
import io.herald.common.model.Channel;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.Priority;
import io.herald.common.testing.Rows;
import io.herald.common.testing.DatabaseExtension;
import io.herald.master.api.EventView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessageStoreTest {
    @RegisterExtension
    final DatabaseExtension scratch = new DatabaseExtension();

    private Database database;
    private MessageStore store;

    @BeforeEach
    void setUp() {
        database = scratch.database();
        store = new MessageStore(database, "master-a");
    }

    private static NewMessage message(String key) {
        return new NewMessage("app", Channel.LOG, "ops", null, "body", Priority.MEDIUM, key, null, null, null, null, null, NewMessage.ANYONE);
    }

    @Test
    void a_submitted_message_has_one_queued_event_by_the_master_that_stored_it() throws Exception {
        List<SubmitResult> results = store.submit(List.of(message(null), message("k"), message("k")), "[%d].", null);

        assertThat(Rows.events(database, results.get(0).id())).containsExactly("queued@master-a");
        assertThat(Rows.events(database, results.get(1).id())).containsExactly("queued@master-a");
        // The in-batch duplicate stored nothing, so it recorded nothing.
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message_event")).isEqualTo(2);
        List<EventView> events = store.events("app", results.get(0).id()).orElseThrow().events();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("queued");
            assertThat(e.node()).isEqualTo("master-a");
            assertThat(e.reason()).isEqualTo("submitted through the API");
            assertThat(e.at()).isNotBlank();
        });
    }

    private static NewMessage dryRun(String application, String key) {
        return new NewMessage(application, Channel.LOG, "ops", null, "body", Priority.MEDIUM, key, null, null, null, null, null,
                NewMessage.ANYONE, true);
    }

    @Test
    void a_dry_run_is_stored_as_one_and_shows_in_its_view_and_its_events() throws Exception {
        long dry = store.submit(List.of(dryRun("app", null)), "[%d].", null).get(0).id();
        long wet = store.submit(List.of(message(null)), "[%d].", null).get(0).id();

        assertThat(store.find("app", dry).orElseThrow().dryRun()).isTrue();
        assertThat(store.events("app", dry).orElseThrow().dryRun()).isTrue();
        assertThat(store.find("app", wet).orElseThrow().dryRun()).isFalse();
        assertThat(store.events("app", wet).orElseThrow().dryRun()).isFalse();
    }

    @Test
    void an_application_in_dry_run_makes_every_message_it_submits_then_a_dry_run() throws Exception {
        database.withConnection(c -> c.createStatement().executeUpdate("INSERT INTO application_policy (application, dry_run) VALUES ('app', 1)"));
        long during = store.submit(List.of(message(null)), "[%d].", null).get(0).id();
        database.withConnection(c -> c.createStatement().executeUpdate("UPDATE application_policy SET dry_run = NULL"));
        long after = store.submit(List.of(message(null)), "[%d].", null).get(0).id();

        assertThat(store.find("app", during).orElseThrow().dryRun()).isTrue();
        assertThat(store.find("app", after).orElseThrow().dryRun()).isFalse();
    }

    @Test
    void a_dry_run_and_a_real_message_with_one_idempotency_key_conflict() throws Exception {
        store.submit(List.of(message("k")), "[%d].", null);

        assertThatThrownBy(() -> store.submit(List.of(dryRun("app", "k")), "[%d].", null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(store.submit(List.of(message("k")), "[%d].", null).get(0).duplicate()).isTrue();
    }

    @Test
    void events_of_a_message_that_does_not_exist_are_absent_not_empty() throws Exception {
        assertThat(store.events("app", 424242)).isEmpty();
    }

    @Test
    void events_and_the_message_itself_are_absent_for_another_application() throws Exception {
        long id = store.submit(List.of(message(null)), "", null).get(0).id();

        assertThat(store.events("app", id)).isPresent();
        assertThat(store.find("app", id)).isPresent();
        assertThat(store.events("other", id)).isEmpty();
        assertThat(store.find("other", id)).isEmpty();
    }

    @Test
    void an_operator_requeue_records_one_event_per_requeued_message_only() throws Exception {
        long first = Rows.insertQueued(database, 4, "log", "t");
        setStatus(first, "dead");
        setStatus(first + 1, "unknown");
        setStatus(first + 2, "sent");

        assertThat(store.requeue(List.of(first, first + 2, first + 3))).isEqualTo(1);
        assertThat(store.requeueAll(MessageStatus.UNKNOWN)).isEqualTo(1);

        assertThat(Rows.events(database, first)).containsExactly("queued@master-a");
        assertThat(Rows.events(database, first + 1)).containsExactly("queued@master-a");
        assertThat(Rows.events(database, first + 2)).isEmpty();
        assertThat(Rows.events(database, first + 3)).isEmpty();
        assertThat(store.events("test", first).orElseThrow().events().get(0).reason()).contains("requeued by an operator");
    }

    @Test
    void requeue_all_works_through_more_than_one_chunk() throws Exception {
        long first = Rows.insertQueued(database, 2_500, "log", "t");
        database.withConnection(c -> c.createStatement().executeUpdate("UPDATE message SET status = 'dead'"));

        assertThat(store.requeueAll(MessageStatus.DEAD)).isEqualTo(2_500);
        assertThat(Rows.statusCounts(database)).containsExactly(java.util.Map.entry("queued", 2_500));
        assertThat(Rows.count(database, "SELECT COUNT(DISTINCT message_id) FROM message_event WHERE status = 'queued'"))
                .isEqualTo(2_500);
        assertThat(Rows.events(database, first + 2_499)).containsExactly("queued@master-a");
    }

    private void setStatus(long id, String status) throws Exception {
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE message SET status = ? WHERE id = ?")) {
                s.setString(1, status);
                s.setLong(2, id);
                return s.executeUpdate();
            }
        });
    }
}
