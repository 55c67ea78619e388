package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.master.api.OptOut;
import io.herald.master.api.Preferences;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recipients' opt-outs, one row of {@code recipient_opt_out} per opt-out, keyed by the SHA-256 of the
 * recipient (a message's {@code recipient}, else its target), so the claim joins on it by primary key.
 * Setting a recipient's preferences replaces all of them.
 */
public record Recipients(Database database) {
    static final String ALL = "all";
    static final String CHANNEL = "channel";
    static final String CATEGORY = "category";

    /** The key a recipient's opt-outs are kept under, and that each message carries ({@code recipient_hash}). */
    static byte[] hash(String recipient) {
        return IdempotencyHash.sha256().digest(recipient.getBytes(StandardCharsets.UTF_8));
    }

    public OptOut get(String application, String recipient) throws SQLException {
        return database.withConnection(c -> {
            boolean all = false;
            List<String> channels = new ArrayList<>();
            List<String> categories = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT scope, name FROM recipient_opt_out"
                    + " WHERE application = ? AND recipient_hash = ? ORDER BY scope, name")) {
                select.setString(1, application);
                select.setBytes(2, hash(recipient));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        switch (rs.getString(1)) {
                            case ALL -> all = true;
                            case CHANNEL -> channels.add(rs.getString(2));
                            default -> categories.add(rs.getString(2));
                        }
                    }
                }
            }
            return new OptOut(all, List.copyOf(channels), List.copyOf(categories));
        });
    }

    /**
     * Adds one opt-out to what {@code recipient} already opted out of: of {@code category}, or of everything when it
     * is null (a one-click unsubscribe). Idempotent: adding it again changes nothing.
     */
    public void optOut(String application, String recipient, String category) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT IGNORE INTO recipient_opt_out"
                    + " (application, recipient_hash, recipient, scope, name) VALUES (?, ?, ?, ?, ?)")) {
                add(insert, application, recipient, category == null ? ALL : CATEGORY, List.of(category == null ? "" : category));
                insert.executeBatch();
            }
            markHasOptOuts(c, application);
            return null;
        });
    }

    /** Replaces the preferences of each recipient in {@code preferences}, in one transaction. */
    public void set(String application, List<Preferences> preferences) throws SQLException {
        database.inTransaction(c -> {
            replace(c, application, preferences);
            return null;
        });
    }

    private static void replace(Connection c, String application, List<Preferences> preferences) throws SQLException {
        Map<String, Preferences> last = new LinkedHashMap<>();
        preferences.forEach(p -> last.put(p.recipient(), p)); // a recipient named twice keeps its last line
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM recipient_opt_out WHERE application = ? AND recipient_hash IN ("
                + Sql.placeholders(last.size()) + ")")) {
            delete.setString(1, application);
            int p = 2;
            for (String recipient : last.keySet()) {
                delete.setBytes(p++, hash(recipient));
            }
            delete.executeUpdate();
        }
        int rows = 0;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO recipient_opt_out (application, recipient_hash, recipient, scope, name) VALUES (?, ?, ?, ?, ?)")) {
            for (Preferences p : last.values()) {
                rows += add(insert, application, p.recipient(), ALL, p.optOut().all() ? List.of("") : List.of());
                rows += add(insert, application, p.recipient(), CHANNEL, p.optOut().channels());
                rows += add(insert, application, p.recipient(), CATEGORY, p.optOut().categories());
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
        if (rows > 0) {
            markHasOptOuts(c, application);
        }
    }

    private static int add(PreparedStatement insert, String application, String recipient, String scope, List<String> names)
            throws SQLException {
        for (String name : names) {
            insert.setString(1, application);
            insert.setBytes(2, hash(recipient));
            insert.setBytes(3, recipient.getBytes(StandardCharsets.UTF_8));
            insert.setString(4, scope);
            insert.setString(5, name);
            insert.addBatch();
        }
        return names.size();
    }

    /** From now on the claim checks this application's messages; never cleared, since a check that finds nothing is cheap. */
    private static void markHasOptOuts(Connection c, String application) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO application_policy (application, has_opt_outs) VALUES (?, 1)"
                + " ON DUPLICATE KEY UPDATE has_opt_outs = 1")) {
            upsert.setString(1, application);
            upsert.executeUpdate();
        }
    }
}
