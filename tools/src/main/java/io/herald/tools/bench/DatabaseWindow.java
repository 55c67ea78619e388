package io.herald.tools.bench;

import io.herald.tools.cluster.ScratchDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database server's counters around one measured window, read on one connection held open for
 * it, and how many connections other clients held to other databases at its start and end. The
 * counters are server-wide, so work per message is Herald's only when that number is 0.
 */
final class DatabaseWindow implements AutoCloseable {
    private static final String OTHER_CLIENTS = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB IS NOT NULL AND DB <> ?";

    private final Connection server;
    private final String database;
    private final Map<String, Long> before;
    private final int otherClientsAtStart;

    DatabaseWindow(ScratchDatabase scratch) throws SQLException {
        this.server = scratch.serverConnection();
        this.database = scratch.name();
        this.otherClientsAtStart = otherClients();
        this.before = DatabaseCounters.read(server);
    }

    /** Work per message since the window opened, and {@code otherDatabaseClients}. */
    Map<String, Object> figures(long messages) throws SQLException {
        Map<String, Object> figures = new LinkedHashMap<>(DatabaseCounters.perMessage(before, DatabaseCounters.read(server), messages));
        figures.put("otherDatabaseClients", Math.max(otherClientsAtStart, otherClients()));
        return figures;
    }

    /**
     * Of two windows' figures, each guarded figure's lower value (an upper bound on the work per message
     * either way), the higher count of other clients, and both windows' readings of each figure under
     * {@code databaseWindows} for the report.
     */
    static Map<String, Object> lowerOf(Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> lower = new LinkedHashMap<>();
        Map<String, String> windows = new LinkedHashMap<>();
        for (String name : GuardFigures.DATABASE) {
            double a = ((Number) first.get(name)).doubleValue();
            double b = ((Number) second.get(name)).doubleValue();
            lower.put(name, Math.min(a, b));
            windows.put(name, a + " / " + b);
        }
        lower.put("otherDatabaseClients", Math.max(((Number) first.get("otherDatabaseClients")).intValue(),
                ((Number) second.get("otherDatabaseClients")).intValue()));
        lower.put("databaseWindows", windows);
        return lower;
    }

    private int otherClients() throws SQLException {
        try (PreparedStatement s = server.prepareStatement(OTHER_CLIENTS)) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        server.close();
    }
}
