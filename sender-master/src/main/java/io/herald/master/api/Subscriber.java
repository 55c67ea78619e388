package io.herald.master.api;

import io.herald.common.model.Channel;

/**
 * One subscriber of a topic: a recipient of the application, its {@code channel} and {@code target}, and
 * the {@code recipient} its opt-outs are kept under (null: the target, as for a message).
 */
public record Subscriber(Channel channel, String target, String recipient) {}
