package io.herald.worker.db;

import io.herald.common.db.Database;
import io.herald.common.channel.SecretSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Each application's signing secrets, read from the database at most once per {@code ttl} per
 * application. During a rotation's grace period the replaced secret signs too; when the grace period
 * ends (on the database clock, read as a remaining time) it stops, whether or not the cache is fresh.
 */
public final class SigningSecrets implements SecretSource {
    private record Entry(Optional<String> current, String previous, long previousUntilNanos, long readAtNanos) {}

    private final Database database;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();

    public SigningSecrets(Database database, Duration ttl, LongSupplier nanoTime) {
        this.database = database;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The secrets that sign now, current first; empty if the application does not exist.
     *
     * @throws SQLException if they had to be read and the database could not be reached
     */
    @Override
    public List<String> of(String application) throws SQLException {
        long now = nanoTime.getAsLong();
        Entry entry = cache.get(application);
        if (entry == null || now - entry.readAtNanos() > ttlNanos) {
            entry = read(application, now);
            cache.put(application, entry);
        }
        if (entry.current().isEmpty()) {
            return List.of();
        }
        boolean previousSigns = entry.previous() != null && entry.previousUntilNanos() - now > 0;
        return previousSigns ? List.of(entry.current().get(), entry.previous()) : List.of(entry.current().get());
    }

    private Entry read(String application, long now) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT signing_secret, previous_secret,"
                    + " TIMESTAMPDIFF(MICROSECOND, NOW(3), previous_secret_until) FROM application WHERE name = ?")) {
                select.setString(1, application);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return new Entry(Optional.empty(), null, now, now);
                    }
                    long leftMicros = rs.getLong(3);
                    long left = rs.wasNull() || leftMicros <= 0 ? 0 : Math.min(leftMicros, Long.MAX_VALUE / 4_000) * 1_000;
                    return new Entry(Optional.of(rs.getString(1)), rs.getString(2), now + left, now);
                }
            }
        });
    }
}
