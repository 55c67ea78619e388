package io.herald.master.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.master.api.NewTemplate;
import io.herald.master.api.TemplateView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Templates, always read and written within one application. */
public final class TemplateStore {
    private static final String COLUMNS = "channel, name, subject_template, body_template, body_format, created_at, updated_at";

    private final Database database;

    public TemplateStore(Database database) {
        this.database = database;
    }

    /** A template's key within its application. */
    public record Key(String channel, String name) {}

    /** Creates or replaces a template; returns true when it was created. */
    public boolean save(String application, NewTemplate t) throws SQLException {
        try {
            database.withConnection(c -> write(c, application, t,
                    "INSERT INTO template (subject_template, body_template, body_format, application, channel, name)"
                            + " VALUES (?, ?, ?, ?, ?, ?)"));
            return true;
        } catch (SQLException e) {
            if (!Sql.isDuplicateKey(e)) {
                throw e;
            }
        }
        database.withConnection(c -> write(c, application, t,
                "UPDATE template SET subject_template = ?, body_template = ?, body_format = ?, updated_at = NOW(3)"
                        + " WHERE application = ? AND channel = ? AND name = ?"));
        return false;
    }

    private static int write(Connection c, String application, NewTemplate t, String sql) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, t.subject());
            statement.setString(2, t.body());
            statement.setString(3, t.format().wireName());
            statement.setString(4, application);
            statement.setString(5, t.channel().wireName());
            statement.setString(6, t.name());
            return statement.executeUpdate();
        }
    }

    public Optional<TemplateView> find(String application, String channel, String name) throws SQLException {
        List<TemplateView> found = select("WHERE application = ? AND channel = ? AND name = ?", application, channel, name);
        return found.stream().findFirst();
    }

    /** The application's templates, by channel and name. */
    public List<TemplateView> list(String application) throws SQLException {
        return select("WHERE application = ? ORDER BY channel, name", application);
    }

    private List<TemplateView> select(String where, String... parameters) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM template " + where)) {
                for (int i = 0; i < parameters.length; i++) {
                    select.setString(i + 1, parameters[i]);
                }
                List<TemplateView> views = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        views.add(new TemplateView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getTimestamp(6).toInstant().toString(), rs.getTimestamp(7).toInstant().toString()));
                    }
                }
                return views;
            }
        });
    }

    /** Deletes a template; returns whether there was one. Messages already accepted that name it will fail. */
    public boolean delete(String application, String channel, String name) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM template WHERE application = ? AND channel = ? AND name = ?")) {
                delete.setString(1, application);
                delete.setString(2, channel);
                delete.setString(3, name);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /** Which of {@code keys} exist for the application, in one query. */
    public Set<Key> existing(String application, Collection<Key> keys) throws SQLException {
        Set<Key> found = new HashSet<>();
        if (keys.isEmpty()) {
            return found;
        }
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT channel, name FROM template WHERE application = ?"
                    + " AND (channel, name) IN (" + Sql.pairPlaceholders(keys.size()) + ")")) {
                select.setString(1, application);
                int p = 2;
                for (Key key : keys) {
                    select.setString(p++, key.channel());
                    select.setString(p++, key.name());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Key(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return found;
        });
    }
}
