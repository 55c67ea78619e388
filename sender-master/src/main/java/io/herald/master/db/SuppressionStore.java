package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.suppression.SuppressionList;
import io.herald.master.api.SuppressionView;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An application's suppression list as the API and the CLI see it: listed by (channel, target hash), the
 * table's primary key, so every page is one index range read; added and removed one entry at a time. The
 * claim enforces it ({@link Suppressions}); workers add to it ({@link SuppressionList}).
 */
public final class SuppressionStore {
    /** Where a page ends: the last entry's channel and target hash. */
    public record Cursor(String channel, byte[] targetHash) {}

    public record Page(List<SuppressionView> entries, Cursor next) {}

    private static final String COLUMNS = "channel, target_hash, target, reason, source, message_id, created_at, expires_at,"
            + " expires_at IS NOT NULL AND expires_at <= NOW(3)";

    private final Database database;

    public SuppressionStore(Database database) {
        this.database = database;
    }

    /** Up to {@code limit} entries of {@code application} after {@code after} (null: from the start), of {@code channel} if not null. */
    public Page list(String application, String channel, Cursor after, int limit) throws SQLException {
        return database.withConnection(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM suppression WHERE application = ?");
            if (channel != null) {
                sql.append(" AND channel = ?");
            }
            if (after != null) {
                sql.append(" AND (channel > ? OR (channel = ? AND target_hash > ?))");
            }
            sql.append(" ORDER BY channel, target_hash LIMIT ?");
            try (PreparedStatement select = c.prepareStatement(sql.toString())) {
                int p = 1;
                select.setString(p++, application);
                if (channel != null) {
                    select.setString(p++, channel);
                }
                if (after != null) {
                    select.setString(p++, after.channel());
                    select.setString(p++, after.channel());
                    select.setBytes(p++, after.targetHash());
                }
                select.setInt(p, limit + 1);
                List<SuppressionView> entries = new ArrayList<>();
                Cursor last = null;
                boolean more = false;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if (entries.size() == limit) {
                            more = true; // read with LIMIT limit + 1: a row past the page
                            break;
                        }
                        entries.add(view(rs));
                        last = new Cursor(rs.getString(1), rs.getBytes(2));
                    }
                }
                return new Page(entries, more ? last : null);
            }
        });
    }

    public Optional<SuppressionView> find(String application, String channel, String target) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM suppression WHERE application = ? AND channel = ? AND target_hash = ?")) {
                select.setString(1, application);
                select.setString(2, channel);
                select.setBytes(3, SuppressionList.targetHash(target));
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(view(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Adds or replaces one entry; returns it as stored. */
    public SuppressionView add(SuppressionList.Entry entry) throws SQLException {
        database.inTransaction(c -> {
            SuppressionList.add(c, List.of(entry));
            return null;
        });
        return find(entry.application(), entry.channel(), entry.target()).orElseThrow();
    }

    /** Removes one entry; false if there was none. */
    public boolean remove(String application, String channel, String target) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM suppression WHERE application = ? AND channel = ? AND target_hash = ?")) {
                delete.setString(1, application);
                delete.setString(2, channel);
                delete.setBytes(3, SuppressionList.targetHash(target));
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static SuppressionView view(ResultSet rs) throws SQLException {
        long messageId = rs.getLong(6);
        Long message = rs.wasNull() ? null : messageId;
        Timestamp expires = rs.getTimestamp(8);
        return new SuppressionView(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5), message,
                Sql.instant(rs.getTimestamp(7)).toString(), expires == null ? null : Sql.instant(expires).toString(), rs.getBoolean(9));
    }
}
