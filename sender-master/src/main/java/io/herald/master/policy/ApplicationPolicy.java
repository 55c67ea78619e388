package io.herald.master.policy;

import io.herald.common.config.PolicyConfig;

/**
 * One application's effective policy: its row in {@code application_policy} with every NULL column
 * filled in from config.yml. {@code optOuts}: the application has stored opt-outs for some recipient, so the
 * claim checks its messages against them. {@code suppressions}: the application has a suppression list, checked likewise.
 */
public record ApplicationPolicy(int weight, Quota quota, Digest digest, boolean optOuts, boolean suppressions) {
    /**
     * @param soft messages in the window past which the owner is warned; 0 for none
     * @param hard messages in the window past which messages are rejected; 0 for none
     */
    public record Quota(long soft, long hard, long windowMillis) {
        public boolean limited() {
            return soft > 0 || hard > 0;
        }

        /** Usage is counted in buckets of 1/60 of the window, at least a second. */
        public long bucketMillis() {
            return Math.max(1_000, windowMillis / 60);
        }
    }

    /**
     * @param threshold messages to one target sent one by one within a window; the rest are held for the digest
     */
    public record Digest(boolean enabled, long threshold, long windowMillis) {}

    public static ApplicationPolicy defaults(PolicyConfig config) {
        return new ApplicationPolicy(config.defaultWeight,
                new Quota(config.quota.soft, config.quota.hard, config.quota.window.toMilliseconds()),
                new Digest(config.digest.enabled, config.digest.threshold, config.digest.window.toMilliseconds()), false, false);
    }
}
