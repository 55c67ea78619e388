package io.herald.common.queue;

import java.util.List;

/**
 * One unit of work in the task queue: ids only, never bodies, so a task stays a few kilobytes.
 *
 * @param token the fencing token of the leader that dispatched it, for tracing
 * @param messageIds the messages to send, in the fenced claim's (priority) order
 */
public record DispatchTask(long token, List<Long> messageIds) {
    public DispatchTask {
        messageIds = List.copyOf(messageIds);
    }
}
