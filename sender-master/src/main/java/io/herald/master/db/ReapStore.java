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

    /** Lease expiry counts, for one pass of the reaper. */
    record Reaped(int requeued, int unknown) {}
}
