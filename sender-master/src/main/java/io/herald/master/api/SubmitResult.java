package io.herald.master.api;

/** The answer for one submitted message. {@code duplicate}: an earlier message had the same idempotency key. */
public record SubmitResult(long id, String status, boolean duplicate) {}
