package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.master.api.ImportView;
import io.herald.master.api.InvalidRequestException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The progress of bulk imports of preferences ({@code recipient_import}), one row per application and
 * import id, updated after each chunk so that another request can watch it.
 */
public final class RecipientImports {
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** A running import with no progress for this long lost its master; its id may be used again. */
    private static final int STALLED_SECONDS = 300;

    private final Database database;

    public RecipientImports(Database database) {
        this.database = database;
    }

    /** Starts import {@code id}, or restarts a finished or stalled one; 409 while it is running. */
    public void start(String application, String id) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT state = ? AND updated_at > TIMESTAMPADD(SECOND, ?, NOW(3))"
                    + " FROM recipient_import WHERE application = ? AND id = ? FOR UPDATE")) {
                select.setString(1, RUNNING);
                select.setInt(2, -STALLED_SECONDS);
                select.setString(3, application);
                select.setString(4, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        throw InvalidRequestException.of(409, "id", "import '" + id + "' is running; watch it with GET /v1/recipients/imports/" + id);
                    }
                }
            }
            return update(c, "INSERT INTO recipient_import (application, id, state) VALUES (?, ?, '" + RUNNING + "')"
                    + " ON DUPLICATE KEY UPDATE state = '" + RUNNING + "', recipients = 0, error = NULL, started_at = NOW(3),"
                    + " updated_at = NOW(3)", application, id);
        });
    }

    public void progress(String application, String id, long recipients) throws SQLException {
        finish(application, id, RUNNING, recipients, null);
    }

    /** Records the import's end: {@code done}, or {@code failed} with {@code error}. */
    public void finish(String application, String id, String state, long recipients, String error) throws SQLException {
        database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE recipient_import SET state = ?, recipients = ?, error = ?,"
                    + " updated_at = NOW(3) WHERE application = ? AND id = ?")) {
                update.setString(1, state);
                update.setLong(2, recipients);
                update.setString(3, error == null ? null : error.substring(0, Math.min(error.length(), 2048)));
                update.setString(4, application);
                update.setString(5, id);
                return update.executeUpdate();
            }
        });
    }

    public Optional<ImportView> find(String application, String id) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT state, recipients, error, started_at, updated_at"
                    + " FROM recipient_import WHERE application = ? AND id = ?")) {
                select.setString(1, application);
                select.setString(2, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(new ImportView(id, rs.getString(1), rs.getLong(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant().toString(), rs.getTimestamp(5).toInstant().toString())) : Optional.empty();
                }
            }
        });
    }

    private static int update(Connection c, String sql, String application, String id) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, application);
            statement.setString(2, id);
            return statement.executeUpdate();
        }
    }
}
