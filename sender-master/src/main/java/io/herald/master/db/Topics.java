package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.master.api.Subscriber;
import io.herald.master.api.SubscriberPage;
import io.herald.master.api.TopicView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An application's topics ({@code topic}) and their subscribers ({@code topic_subscriber}). Bulk changes
 * come in chunks, one statement and one short transaction each; deleting a topic removes its subscribers
 * in chunks of {@value #DELETE_CHUNK} so that no transaction holds a million row locks.
 */
public final class Topics {
    static final int DELETE_CHUNK = 5_000;

    private final Database database;

    public Topics(Database database) {
        this.database = database;
    }

    /** Creates the topic or sets its description; true if it was created. */
    public boolean put(String application, String name, String description) throws SQLException {
        return database.inTransaction(c -> {
            boolean existed = exists(c, application, name, true);
            try (PreparedStatement upsert = c.prepareStatement(existed
                    ? "UPDATE topic SET description = ?, updated_at = NOW(3) WHERE application = ? AND name = ?"
                    : "INSERT INTO topic (description, application, name) VALUES (?, ?, ?)")) {
                upsert.setString(1, description);
                upsert.setString(2, application);
                upsert.setString(3, name);
                upsert.executeUpdate();
            }
            return !existed;
        });
    }

    public Optional<TopicView> find(String application, String name) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT description, created_at, updated_at,"
                    + " (SELECT COUNT(*) FROM topic_subscriber s WHERE s.application = t.application AND s.topic = t.name)"
                    + " FROM topic t WHERE application = ? AND name = ?")) {
                select.setString(1, application);
                select.setString(2, name);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(new TopicView(name, rs.getString(1), rs.getLong(4),
                            rs.getTimestamp(2).toInstant().toString(), rs.getTimestamp(3).toInstant().toString())) : Optional.empty();
                }
            }
        });
    }

    public boolean exists(String application, String name) throws SQLException {
        return database.withConnection(c -> exists(c, application, name, false));
    }

    static boolean exists(Connection c, String application, String name, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM topic WHERE application = ? AND name = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, application);
            select.setString(2, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Deletes the topic and its subscribers; the number of subscribers it had, or empty if there was no such topic. */
    public Optional<Long> delete(String application, String name) throws SQLException {
        if (!exists(application, name)) {
            return Optional.empty();
        }
        long removed = 0;
        int chunk;
        do {
            chunk = database.withConnection(c -> {
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM topic_subscriber WHERE application = ? AND topic = ? LIMIT " + DELETE_CHUNK)) {
                    delete.setString(1, application);
                    delete.setString(2, name);
                    return delete.executeUpdate();
                }
            });
            removed += chunk;
        } while (chunk == DELETE_CHUNK);
        database.withConnection(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM topic WHERE application = ? AND name = ?")) {
                delete.setString(1, application);
                delete.setString(2, name);
                return delete.executeUpdate();
            }
        });
        return Optional.of(removed);
    }

    /** Adds subscribers (one multi-row statement); one already subscribed stays as it was. Returns how many were new. */
    public int add(String application, String topic, List<Subscriber> subscribers) throws SQLException {
        if (subscribers.isEmpty()) {
            return 0;
        }
        return database.withConnection(c -> {
            // INSERT IGNORE skips only what the unique key refuses here: every value was checked by the parser.
            try (PreparedStatement insert = c.prepareStatement("INSERT IGNORE INTO topic_subscriber (application, topic, channel,"
                    + " target, recipient, subscriber_hash) VALUES " + Sql.tuplePlaceholders(subscribers.size(), 6))) {
                int p = 1;
                for (Subscriber s : subscribers) {
                    insert.setString(p++, application);
                    insert.setString(p++, topic);
                    insert.setString(p++, s.channel().wireName());
                    insert.setString(p++, s.target());
                    if (s.recipient() == null) {
                        insert.setNull(p++, Types.VARBINARY);
                    } else {
                        insert.setBytes(p++, s.recipient().getBytes(StandardCharsets.UTF_8));
                    }
                    insert.setBytes(p++, hash(s));
                }
                return insert.executeUpdate();
            }
        });
    }

    /** Removes subscribers by channel and target; returns how many there were. */
    public int remove(String application, String topic, List<Subscriber> subscribers) throws SQLException {
        if (subscribers.isEmpty()) {
            return 0;
        }
        return database.withConnection(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM topic_subscriber WHERE application = ? AND topic = ?"
                    + " AND subscriber_hash IN (" + Sql.placeholders(subscribers.size()) + ")")) {
                delete.setString(1, application);
                delete.setString(2, topic);
                int p = 3;
                for (Subscriber s : subscribers) {
                    delete.setBytes(p++, hash(s));
                }
                return delete.executeUpdate();
            }
        });
    }

    /** Up to {@code limit} subscribers after the one with id {@code after} (0: from the first), oldest first. */
    public SubscriberPage page(String application, String topic, long after, int limit) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, channel, target, recipient, created_at FROM topic_subscriber"
                    + " WHERE application = ? AND topic = ? AND id > ? ORDER BY id LIMIT ?")) {
                select.setString(1, application);
                select.setString(2, topic);
                select.setLong(3, after);
                select.setInt(4, limit + 1);
                List<SubscriberPage.SubscriberView> rows = new ArrayList<>();
                long last = after;
                boolean more = false;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if (rows.size() == limit) {
                            more = true;
                            break;
                        }
                        last = rs.getLong(1);
                        byte[] recipient = rs.getBytes(4);
                        rows.add(new SubscriberPage.SubscriberView(rs.getString(2), rs.getString(3),
                                recipient == null ? null : new String(recipient, StandardCharsets.UTF_8), rs.getTimestamp(5).toInstant().toString()));
                    }
                }
                return new SubscriberPage(rows, more ? String.valueOf(last) : null);
            }
        });
    }

    /** A subscriber's key: channel and target, which together say where its messages go. */
    static byte[] hash(Subscriber s) {
        MessageDigest sha256 = IdempotencyHash.sha256();
        sha256.update(s.channel().wireName().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        return sha256.digest(s.target().getBytes(StandardCharsets.UTF_8));
    }
}
