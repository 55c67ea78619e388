package io.herald.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MessageTransitionTest {
    @Test
    void a_pair_outside_the_table_is_illegal_and_throws() {
        assertThat(MessageTransition.of(MessageTransition.Actor.LEADER, MessageStatus.QUEUED, MessageStatus.DISPATCHED))
                .isEqualTo(MessageTransition.CLAIM);
        assertThatThrownBy(() -> MessageTransition.of(MessageTransition.Actor.WORKER, MessageStatus.SENT, MessageStatus.QUEUED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sent -> queued");
    }

    @Test
    void every_status_is_reached_and_only_an_operator_moves_a_terminal_one() {
        // A submission is queued; scheduled is how a queued message with its sendAt ahead is reported, never stored.
        Set<MessageStatus> reached = EnumSet.of(MessageStatus.QUEUED, MessageStatus.SCHEDULED);
        for (MessageTransition t : MessageTransition.values()) {
            reached.add(t.to());
        }
        assertThat(reached).containsExactlyInAnyOrder(MessageStatus.values());
        Set<MessageStatus> leftWithoutOperator = EnumSet.noneOf(MessageStatus.class);
        for (MessageTransition t : MessageTransition.values()) {
            if (t.actor() != MessageTransition.Actor.OPERATOR) {
                leftWithoutOperator.addAll(t.from());
            }
        }
        assertThat(MessageStatus.terminal()).doesNotContainAnyElementsOf(leftWithoutOperator);
    }

    @Test
    void only_a_change_into_a_final_status_from_an_open_one_makes_a_message_final() {
        assertThat(EnumSet.allOf(MessageTransition.class).stream().filter(MessageTransition::makesFinal).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(MessageTransition.REJECT, MessageTransition.DELIVER, MessageTransition.FAIL,
                        MessageTransition.DIGEST_DELIVERED, MessageTransition.DIGEST_FAILED, MessageTransition.CANCEL,
                        MessageTransition.OPT_OUT, MessageTransition.SUPPRESS);
    }
}
