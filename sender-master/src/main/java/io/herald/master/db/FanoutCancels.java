package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.master.api.FanoutCancellation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code DELETE /v1/fanouts/{id}}: stops a fan-out and cancels its messages that no worker holds yet.
 *
 * <p>First one short transaction stops the parent: a fan-out still {@code creating} or {@code sending} becomes
 * {@code cancelled}, its total what it has created. The leader's chunk locks its fan-out with {@code FOR UPDATE}
 * through the state index inside its fenced transaction ({@link FanoutChunks}) and takes only one still
 * {@code creating}; the stop locks the row through the same index first, so the two queue on one lock in one
 * order (no deadlock with a chunk): a chunk in progress commits before the stop reads {@code created}, and a chunk after
 * the stop finds nothing to create. Then, with no chunk able to add a message, the fan-out's messages are
 * walked along their reserved idempotency keys and cancelled through {@link CancelStore}, a chunk per
 * transaction, so each cancel is as race-safe against the claim as {@code DELETE /v1/messages/{id}}.
 * A fan-out already {@code done} (or cancelled before) keeps its state, and the walk cancels whatever of it is
 * queued again (a requeued dead letter).
 */
public record FanoutCancels(Database database, CancelStore cancels) {
    private record Stopped(String state, long created) {}

    /** Cancels {@code application}'s fan-out {@code id}; empty if it has no such fan-out. */
    public Optional<FanoutCancellation> cancel(String application, long id) throws SQLException {
        Optional<Stopped> stopped;
        try {
            stopped = database.inTransaction(c -> stop(c, application, id));
        } catch (SQLException e) {
            if (!"40001".equals(e.getSQLState())) {
                throw e;
            }
            // A count that ends the fan-out (sending to done) locks the row by its primary key first, the other
            // order: the database chose this side of the deadlock and rolled it back whole; once more is enough.
            stopped = database.inTransaction(c -> stop(c, application, id));
        }
        if (stopped.isEmpty()) {
            return Optional.empty();
        }
        CancelStore.Walk walk = cancels.cancelKeyRange(application, FanoutStore.childKeyPrefix(id), FanoutStore.childKeyEnd(id),
                "cancelled by its application with its fan-out (DELETE /v1/fanouts/" + id + ")");
        if (walk.cancelled() > 0) {
            database.inTransaction(c -> {
                FanoutStore.recount(c, application, id);
                return null;
            });
        }
        return Optional.of(new FanoutCancellation(id, stopped.get().state(), stopped.get().created(), walk.cancelled(), walk.left()));
    }

    private static Optional<Stopped> stop(Connection c, String application, long id) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT created FROM fanout FORCE INDEX (ix_fanout_state)"
                + " WHERE state IN (?, ?) AND id = ? AND application = ? FOR UPDATE")) {
            lock.setString(1, FanoutStore.CREATING);
            lock.setString(2, FanoutStore.SENDING);
            lock.setLong(3, id);
            lock.setString(4, application);
            try (ResultSet rs = lock.executeQuery()) {
                if (rs.next()) {
                    long created = rs.getLong(1);
                    try (PreparedStatement update = c.prepareStatement("UPDATE fanout SET state = ?, total = created, updated_at = NOW(3)"
                            + " WHERE id = ?")) {
                        update.setString(1, FanoutStore.CANCELLED);
                        update.setLong(2, id);
                        update.executeUpdate();
                    }
                    return Optional.of(new Stopped(FanoutStore.CANCELLED, created));
                }
            }
        }
        // Done or cancelled before: nothing to stop, but its messages are walked all the same.
        try (PreparedStatement select = c.prepareStatement("SELECT state, created FROM fanout WHERE id = ? AND application = ?")) {
            select.setLong(1, id);
            select.setString(2, application);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Stopped(rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }
}
