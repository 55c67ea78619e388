package io.herald.master.db;

import io.herald.common.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code dispatch_rate}: each application's recent dispatch rate, replaced whole by the leader every
 * {@code master.dispatchRateInterval} and read by any master for a queued message's estimate. A row the
 * leader has not refreshed for {@code staleAfter} (no master leads, or a new one has not measured yet)
 * counts as no rate.
 */
public final class DispatchRateStore {
    private final Database database;
    private final Duration staleAfter;

    public DispatchRateStore(Database database, Duration staleAfter) {
        this.database = database;
        this.staleAfter = staleAfter;
    }

    /** Replaces every row with {@code perSecond} (application to messages per second), in one transaction. */
    public void replace(Map<String, Double> perSecond) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM dispatch_rate")) {
                delete.executeUpdate();
            }
            if (perSecond.isEmpty()) {
                return null;
            }
            List<Map.Entry<String, Double>> rows = List.copyOf(perSecond.entrySet());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dispatch_rate (application, per_second, measured_at) VALUES "
                    + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, NOW(3))")))) {
                int p = 1;
                for (Map.Entry<String, Double> row : rows) {
                    insert.setString(p++, row.getKey());
                    insert.setDouble(p++, row.getValue());
                }
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** {@code application}'s rate in messages per second, 0 when it has none or it is stale. */
    double perSecond(Connection c, String application) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT per_second FROM dispatch_rate WHERE application = ?"
                + " AND measured_at >= TIMESTAMPADD(MICROSECOND, ?, NOW(3))")) {
            select.setString(1, application);
            select.setLong(2, -staleAfter.toNanos() / 1_000);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : 0;
            }
        }
    }
}
