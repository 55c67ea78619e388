package io.herald.worker.core;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Where a worker makes its dedup reservations ({@code db.ReservationStore}): before a
 * message is sent, one {@code delivery} row per message and attempt, whose key only one worker can insert.
 */
@FunctionalInterface
public interface DedupReservations {
    /**
     * @param mine messages this worker now owns and must send, marked sending
     * @param blocked messages of the chunk that were not this worker's to send: another worker holds the
     *     same attempt's dedup key, or the message is no longer dispatched (already handled)
     */
    record Reservation(List<OutgoingMessage> mine, int blocked) {}

    /** Reserves the dispatched messages among {@code ids} and marks them sending for {@code sendLease}, in one transaction. */
    Reservation reserve(List<Long> ids, Duration sendLease) throws SQLException;
}
