package io.herald.master.db;

import io.herald.common.config.PolicyConfig;
import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.master.policy.RateLimit;
import io.herald.master.policy.ApplicationPolicy;
import io.herald.master.policy.Setting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes {@code application_policy}, one row per application; NULL means the configured default. */
public final class PolicyStore {
    private final Database database;
    private final PolicyConfig config;

    public PolicyStore(Database database, PolicyConfig config) {
        this.database = database;
        this.config = config;
    }

    /** The effective policy of each of {@code applications}, in the caller's transaction. */
    Map<String, ApplicationPolicy> effective(Connection c, Collection<String> applications) throws SQLException {
        ApplicationPolicy defaults = ApplicationPolicy.defaults(config);
        Map<String, ApplicationPolicy> policies = new HashMap<>();
        applications.forEach(a -> policies.put(a, defaults));
        if (applications.isEmpty()) {
            return policies;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application, weight, quota_soft, quota_hard, quota_window_ms, digest_enabled, digest_threshold, digest_window_ms,"
                        + " has_opt_outs, has_suppressions FROM application_policy WHERE application IN ("
                        + Sql.placeholders(applications.size()) + ")")) {
            int p = 1;
            for (String application : applications) {
                select.setString(p++, application);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    policies.put(rs.getString(1), new ApplicationPolicy(
                            orDefault(rs, 2, defaults.weight()),
                            new ApplicationPolicy.Quota(orDefault(rs, 3, defaults.quota().soft()), orDefault(rs, 4, defaults.quota().hard()),
                                    orDefault(rs, 5, defaults.quota().windowMillis())),
                            new ApplicationPolicy.Digest(orDefault(rs, 6, defaults.digest().enabled() ? 1 : 0) != 0,
                                    orDefault(rs, 7, defaults.digest().threshold()), orDefault(rs, 8, defaults.digest().windowMillis())),
                            rs.getInt(9) != 0, rs.getInt(10) != 0));
                }
            }
        }
        return policies;
    }

    private static int orDefault(ResultSet rs, int column, int fallback) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? fallback : value;
    }

    private static long orDefault(ResultSet rs, int column, long fallback) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? fallback : value;
    }

    /** {@code application}'s request rate limit, each part falling back to {@code defaults} when not set. */
    public RateLimit rateLimit(String application, RateLimit defaults) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT rate_per_second, rate_burst FROM application_policy WHERE application = ?")) {
                select.setString(1, application);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return defaults;
                    }
                    return new RateLimit(orDefault(rs, 1, defaults.perSecond()), orDefault(rs, 2, defaults.burst()));
                }
            }
        });
    }

    /** The owner's address for warnings (the application's ownerEmail), or null when it has none. */
    String ownerEmail(Connection c, String application) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT owner_email FROM application WHERE name = ?")) {
            select.setString(1, application);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Stores the given settings of {@code application} (null values reset to the default); others keep theirs. */
    public void update(String application, Map<Setting, Object> values) throws SQLException {
        List<Setting> settings = List.copyOf(values.keySet());
        StringBuilder columns = new StringBuilder("application");
        StringBuilder placeholders = new StringBuilder("?");
        StringBuilder updates = new StringBuilder();
        for (Setting s : settings) {
            columns.append(", ").append(s.column());
            placeholders.append(", ?");
            updates.append(s.column()).append(" = ?, ");
        }
        String sql = "INSERT INTO application_policy (" + columns + ") VALUES (" + placeholders + ")"
                + " ON DUPLICATE KEY UPDATE " + updates + "updated_at = NOW(3)";
        database.withConnection(c -> {
            try (PreparedStatement upsert = c.prepareStatement(sql)) {
                upsert.setString(1, application);
                for (int i = 0; i < settings.size(); i++) {
                    Object value = values.get(settings.get(i));
                    upsert.setObject(2 + i, value);
                    upsert.setObject(2 + settings.size() + i, value);
                }
                return upsert.executeUpdate();
            }
        });
    }

    /** The stored value of each column of {@code application}'s row; empty when it has none. */
    public Map<String, Object> stored(String application) throws SQLException {
        return database.withConnection(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT * FROM application_policy WHERE application = ?")) {
                select.setString(1, application);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        ResultSetMetaData meta = rs.getMetaData();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                        }
                    }
                }
            }
            return row;
        });
    }
}
