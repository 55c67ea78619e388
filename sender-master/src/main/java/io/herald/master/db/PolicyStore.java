package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.master.policy.Setting;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes {@code application_policy}, one row per application; NULL means the configured default. */
public final class PolicyStore {
    private final Database database;

    public PolicyStore(Database database) {
        this.database = database;
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
