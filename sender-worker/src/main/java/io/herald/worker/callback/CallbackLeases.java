package io.herald.worker.callback;

import io.herald.common.model.MessageStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where callbacks are leased and their outcomes recorded ({@code db.CallbackStore}). A
 * callback lease is a worker's hold on a due {@code callback} row: its due time moved a lease ahead, so a
 * lease whose worker dies lapses and the row is leased again. An outcome applies only to the attempt it
 * belongs to: each method returns false if the lease had lapsed and another attempt owns the row.
 */
public interface CallbackLeases {
    /**
     * A callback leased for one delivery attempt, with all it needs to be sent.
     *
     * @param attempt this delivery attempt, counting from 1
     */
    record Due(long id, long messageId, String application, String url, MessageStatus status,
               int messageAttempts, String error, Instant createdAt, Instant finishedAt, int attempt) {}

    /** Leases up to {@code limit} due callbacks, oldest due first, for {@code lease}. */
    List<Due> lease(int limit, Duration lease) throws SQLException;

    /** The receiver took it. */
    boolean delivered(Due d) throws SQLException;

    /** Tries again after {@code delay}. */
    boolean retry(Due d, String error, Duration delay) throws SQLException;

    /** Not attempted (its destination is paused or full): due again after {@code wait}, the attempt given back. */
    boolean notAttempted(Due d, String reason, Duration wait) throws SQLException;

    /** Gives up: no more attempts. */
    boolean failed(Due d, String error) throws SQLException;
}
