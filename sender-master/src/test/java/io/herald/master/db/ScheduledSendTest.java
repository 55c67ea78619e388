package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.testing.Rows;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message with a sendAt is stored queued, due at its sendAt: reported scheduled until then, claimed only then. */
class ScheduledSendTest extends DispatchStoreFixture {
    private static NewMessage message(String key, Instant sendAt) {
        return new NewMessage("app", Channel.LOG, "ops", null, "body", Priority.MEDIUM, key, null, null, null, sendAt, null, NewMessage.ANYONE);
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void a_scheduled_message_is_reported_scheduled_and_the_claim_does_not_take_it_before_its_time() throws Exception {
        MessageStore messages = new MessageStore(database, "master-a");
        Instant sendAt = inAnHour();
        List<SubmitResult> results = messages.submit(List.of(message(null, sendAt), message(null, null)), "[%d].", null);
        long scheduled = results.get(0).id();
        assertThat(results).extracting(SubmitResult::status).containsExactly("scheduled", "queued");
        assertThat(messages.find("app", scheduled).orElseThrow().status()).isEqualTo("scheduled");
        assertThat(messages.find("app", scheduled).orElseThrow().sendAt()).isEqualTo(sendAt.toString());
        assertThat(messages.events("app", scheduled).orElseThrow().events()).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("to be sent at its sendAt"));

        store.acquireFence(1, "leader");
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(results.get(1).id());
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).isEmpty();

        // Its time comes (moved on the database clock's side: the row is due a second ago).
        execute("UPDATE message SET send_at = TIMESTAMPADD(SECOND, -1, NOW(3)), next_attempt_at = TIMESTAMPADD(SECOND, -1, NOW(3))"
                + " WHERE id = " + scheduled);
        assertThat(messages.find("app", scheduled).orElseThrow().status()).isEqualTo("queued");
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(scheduled);
        assertThat(Rows.events(database, scheduled)).containsExactly("queued@master-a", "dispatched@leader");
    }

    @Test
    void a_send_at_within_the_past_tolerance_is_due_at_once() throws Exception {
        MessageStore messages = new MessageStore(database, "master-a");
        SubmitResult result = messages.submit(List.of(message(null, Instant.now().minusSeconds(60))), "", null).get(0);

        assertThat(result.status()).isEqualTo("queued");
        store.acquireFence(1, "leader");
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(result.id());
    }

    @Test
    void the_idempotency_key_covers_send_at() throws Exception {
        MessageStore messages = new MessageStore(database, "master-a");
        Instant sendAt = inAnHour();
        long id = messages.submit(List.of(message("k", sendAt)), "", null).get(0).id();

        SubmitResult again = messages.submit(List.of(message("k", sendAt)), "", null).get(0);
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.status()).isEqualTo("scheduled");
        InvalidRequestException other = catchThrowableOfType(InvalidRequestException.class,
                () -> messages.submit(List.of(message("k", sendAt.plusSeconds(1))), "", null));
        assertThat(other.status()).isEqualTo(409);
        InvalidRequestException unscheduled = catchThrowableOfType(InvalidRequestException.class,
                () -> messages.submit(List.of(message("k", null)), "", null));
        assertThat(unscheduled.status()).isEqualTo(409);
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isEqualTo(1);
    }
}
