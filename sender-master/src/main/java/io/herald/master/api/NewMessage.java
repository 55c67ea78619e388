package io.herald.master.api;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;

/** A validated submission, ready to store. {@code subject} and {@code idempotencyKey} may be null. */
public record NewMessage(
        String application,
        Channel channel,
        String target,
        String subject,
        String body,
        Priority priority,
        String idempotencyKey) {}
