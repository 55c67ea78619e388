package io.herald.master.policy;

/**
 * One message a pass of the leader's fenced claim selected, still queued. {@code channel}, {@code target}
 * {@code digest} and {@code dryRun} are read only for the applications some admission policy asks details for
 * (they are not in the claim's index); otherwise null and false.
 */
public record ClaimedRow(long id, String application, int priority, long lagMicros, String channel, String target, boolean digest,
                         boolean dryRun) {}
