package io.herald.master.db;

import java.sql.SQLException;

/** Lease expiry, as the reaper sees it ({@link DispatchStore}; a fake in unit tests). */
public interface ReapStore {
    /**
     * Expires up to {@code limit} leases of each kind under {@code token}, and the admission policies' old state.
     *
     * @throws FencedOutException if a newer leader holds the fence; nothing was written
     */
    Reaped reap(long token, String holder, int limit) throws SQLException, FencedOutException;

    /**
     * Lease expiry counts, for one pass of the reaper: dispatched messages queued again, sending ones made
     * unknown, and sending ones queued again because their application resends unknown outcomes.
     */
    record Reaped(int requeued, int unknown, int resent) {
        public Reaped(int requeued, int unknown) {
            this(requeued, unknown, 0);
        }
    }
}
