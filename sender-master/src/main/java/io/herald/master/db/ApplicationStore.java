package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.webhook.WebhookSignature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Applications and their API keys. Keys are stored only as hashes ({@link ApiKeys#hash}). */
public final class ApplicationStore {
    private final Database database;

    public ApplicationStore(Database database) {
        this.database = database;
    }

    /** What {@code app-create} hands out once; neither is shown again. */
    public record Credentials(String apiKey, String signingSecret) {}

    /** Thrown when an application of that name exists already. */
    public static final class ApplicationExistsException extends Exception {
        public ApplicationExistsException(String name) {
            super("application '" + name + "' exists already", null, false, false);
        }
    }

    /** Creates an application with its signing secret and a first API key, in one transaction. */
    public Credentials create(String name, String ownerEmail) throws SQLException, ApplicationExistsException {
        String secret = WebhookSignature.newSecret();
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO application (name, signing_secret, owner_email) VALUES (?, ?, ?)")) {
                    insert.setString(1, name);
                    insert.setString(2, secret);
                    insert.setString(3, ownerEmail);
                    insert.executeUpdate();
                }
                return new Credentials(insertKey(c, name), secret);
            });
        } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) {
                throw new ApplicationExistsException(name);
            }
            throw e;
        }
    }

    /** Issues another key for an existing application (rotation); empty if there is no such application. */
    public Optional<String> addKey(String application) throws SQLException {
        return database.inTransaction(c -> lock(c, application) ? Optional.of(insertKey(c, application)) : Optional.empty());
    }

    private static boolean lock(Connection c, String application) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM application WHERE name = ? FOR UPDATE")) {
            select.setString(1, application);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String insertKey(Connection c, String application) throws SQLException {
        String key = ApiKeys.newKey();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO api_key (key_hash, application) VALUES (?, ?)")) {
            insert.setString(1, ApiKeys.hash(key));
            insert.setString(2, application);
            insert.executeUpdate();
        }
        return key;
    }

    /** Revokes one key; returns its application, or empty if the key is unknown or was revoked already. */
    public Optional<String> revokeKey(String key) throws SQLException {
        String hash = ApiKeys.hash(key);
        return database.inTransaction(c -> {
            Optional<String> application = applicationOfKey(c, hash, " FOR UPDATE");
            if (application.isPresent()) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE api_key SET revoked_at = NOW(3) WHERE key_hash = ? AND revoked_at IS NULL")) {
                    update.setString(1, hash);
                    update.executeUpdate();
                }
            }
            return application;
        });
    }

    /** Revokes every key of an application; returns how many were still valid. */
    public int revokeAll(String application) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE api_key SET revoked_at = NOW(3) WHERE application = ? AND revoked_at IS NULL")) {
                update.setString(1, application);
                return update.executeUpdate();
            }
        });
    }

    /** What {@code app-rotate-secret} hands out once: the new secret, and until when the replaced one still signs. */
    public record Rotation(String signingSecret, Instant previousSignsUntil) {}

    /**
     * Replaces the application's signing secret with a new one; the replaced secret keeps signing
     * beside it for {@code grace}. A secret replaced earlier and still in its grace period stops now:
     * at most two secrets sign at once. Empty if there is no such application.
     */
    public Optional<Rotation> rotateSecret(String application, java.time.Duration grace) throws SQLException {
        String secret = WebhookSignature.newSecret();
        return database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE application SET previous_secret = signing_secret,"
                    + " signing_secret = ?, previous_secret_until = TIMESTAMPADD(MICROSECOND, ?, NOW(3)) WHERE name = ?")) {
                update.setString(1, secret);
                update.setLong(2, grace.toNanos() / 1_000);
                update.setString(3, application);
                if (update.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT previous_secret_until FROM application WHERE name = ?")) {
                select.setString(1, application);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return Optional.of(new Rotation(secret, Sql.instant(rs.getTimestamp(1))));
                }
            }
        });
    }

    public boolean exists(String application) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM application WHERE name = ?")) {
                select.setString(1, application);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The application that holds the unrevoked key with this hash. */
    public Optional<String> applicationOfKey(String keyHash) throws SQLException {
        return database.withConnection(c -> applicationOfKey(c, keyHash, ""));
    }

    private static Optional<String> applicationOfKey(Connection c, String keyHash, String lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application FROM api_key WHERE key_hash = ? AND revoked_at IS NULL" + lock)) {
            select.setString(1, keyHash);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
