package io.herald.worker.core;

import io.herald.common.template.TemplateFormat;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.ChannelSender;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.model.MessageStatus;
import io.herald.common.model.Priority;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link Outcome}'s factories and the keys and counters of {@link OutgoingMessage} they rely on. */
class DeliveryOutcomeTest {
    private static OutgoingMessage message(long id, int attempt, int retryBase) {
        return new OutgoingMessage(id, "billing", Channel.WEBHOOK, "https://example.com/hook", null, "{}",
                Priority.HIGH, Instant.parse("2024-01-01T00:00:00Z"), attempt, retryBase, null, TemplateFormat.TEXT, null, null, null, null);
    }

    @Test
    void a_sent_outcome_records_sent_with_no_error_and_no_delay() {
        Outcome outcome = Outcome.sent(message(42, 3, 0));

        assertThat(outcome).isEqualTo(new Outcome(42, 3, MessageStatus.SENT, null, Duration.ZERO, null, false, false, false));
        assertThat(outcome.status().isTerminal()).isTrue();
    }

    @Test
    void a_dead_outcome_records_a_dead_letter_with_the_error() {
        Outcome outcome = Outcome.dead(message(42, 2, 0), "webhook answered HTTP 404");

        assertThat(outcome).isEqualTo(new Outcome(42, 2, MessageStatus.DEAD, "webhook answered HTTP 404", Duration.ZERO, null, false, false, false));
        assertThat(outcome.status().isTerminal()).isTrue();
    }

    @Test
    void a_retry_outcome_requeues_with_the_error_and_delay() {
        Outcome outcome = Outcome.retry(message(7, 1, 0), "webhook answered HTTP 503", Duration.ofSeconds(4));

        assertThat(outcome).isEqualTo(new Outcome(7, 1, MessageStatus.QUEUED, "webhook answered HTTP 503", Duration.ofSeconds(4), null, false, false, false));
        assertThat(outcome.status().isTerminal()).isFalse();
    }

    @Test
    void the_dedup_key_is_the_same_for_every_attempt() {
        assertThat(message(42, 1, 0).dedupKey()).isEqualTo("herald-42");
        assertThat(message(42, 5, 3).dedupKey()).isEqualTo(message(42, 1, 0).dedupKey());
    }

    @Test
    void the_attempt_key_differs_per_attempt() {
        assertThat(OutgoingMessage.attemptKey(42, 1)).isEqualTo("herald-42#1");
        assertThat(OutgoingMessage.attemptKey(42, 2)).isNotEqualTo(OutgoingMessage.attemptKey(42, 1));
    }

    @Test
    void attempts_used_does_not_count_attempts_before_a_requeue() {
        assertThat(message(1, 1, 0).attemptsUsed()).isEqualTo(1);
        assertThat(message(1, 7, 5).attemptsUsed()).isEqualTo(2);
    }
}
