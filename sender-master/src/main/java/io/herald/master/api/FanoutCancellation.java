package io.herald.master.api;

/**
 * {@code DELETE /v1/fanouts/{id}}: the fan-out's {@code state} after the call ({@code cancelled}, or {@code done} if every
 * message was already final), the messages it had {@code created}, how many of them this call {@code cancelled}, and how
 * many it found {@code notCancelled}: already held by a worker (dispatched, sending) or final, and left as they are.
 */
public record FanoutCancellation(long id, String state, long created, long cancelled, long notCancelled) {}
