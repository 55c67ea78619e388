package io.herald.master.db;

import java.sql.SQLException;
import java.util.Optional;

/** The fan-out's fenced chunks, as the leader's loop sees them ({@link FanoutChunks}; a fake in unit tests). */
public interface FanoutWriter {
    /**
     * Creates up to {@code limit} messages for the first fan-out still creating whose id is above {@code after};
     * empty when there is none.
     *
     * @throws FencedOutException if a newer leader holds the fence; nothing was written
     */
    Optional<Chunk> createNext(long token, String holder, long after, int limit) throws SQLException, FencedOutException;

    /** One chunk's result: the fan-out it served, how many messages it created, and whether that fan-out has created them all. */
    record Chunk(long fanoutId, int created, boolean finished) {}
}
