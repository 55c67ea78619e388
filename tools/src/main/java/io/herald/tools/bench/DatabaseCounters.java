package io.herald.tools.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's global status counters, read before and after a measured phase, turned into work per
 * message: statements, rows read, rows written, redo log bytes, commits. They count every client of the server, so
 * the figures are Herald's only while nothing else uses the database (CI runs alone; on a shared
 * machine the margin of the budgets has to absorb the rest).
 */
final class DatabaseCounters {
    /** Bytes InnoDB wrote to its redo log: what the rows changed cost, however wide they are and however they moved. */
    private static final String REDO = "Innodb_os_log_written";
    /** Pages InnoDB had to read from disk, not finding them in its buffer pool: what a table larger than the pool costs. */
    private static final String DISK_READS = "Innodb_buffer_pool_reads";
    private static final String QUERY = "SHOW GLOBAL STATUS WHERE Variable_name = 'Questions'"
            + " OR Variable_name LIKE 'Com\\_%' OR Variable_name LIKE 'Handler\\_%' OR Variable_name IN ('" + REDO + "', '"
            + DISK_READS + "')";

    private DatabaseCounters() {}

    static Map<String, Long> read(Connection server) throws SQLException {
        Map<String, Long> counters = new HashMap<>();
        try (Statement s = server.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                try {
                    counters.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                } catch (NumberFormatException e) {
                    // a status that is not a counter (none of the names above today): not work to count
                }
            }
        }
        return counters;
    }

    /**
     * Work per message between two readings taken on one connection: statements (Questions, less the
     * one SHOW STATUS of the second reading), rows read (every Handler_read_*), rows written
     * (Handler_write + Handler_update + Handler_delete), redo log bytes (Innodb_os_log_written), commits
     * (Handler_commit), pages read from disk (Innodb_buffer_pool_reads), and the statement mix
     * (Com_select, Com_insert, Com_update, Com_delete).
     */
    static Map<String, Double> perMessage(Map<String, Long> before, Map<String, Long> after, long messages) {
        double n = Math.max(1, messages);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("statementsPerMessage", round((delta(before, after, "Questions") - 1) / n));
        figures.put("rowsReadPerMessage", round(sum(before, after, "Handler_read_") / n));
        figures.put("rowsWrittenPerMessage",
                round((delta(before, after, "Handler_write") + delta(before, after, "Handler_update")
                        + delta(before, after, "Handler_delete")) / n));
        figures.put("redoBytesPerMessage", round(delta(before, after, REDO) / n));
        figures.put("commitsPerMessage", round(delta(before, after, "Handler_commit") / n));
        figures.put("pagesReadFromDiskPerMessage", round(delta(before, after, DISK_READS) / n));
        for (String com : new String[] {"select", "insert", "update", "delete"}) {
            figures.put(com + "PerMessage", round(delta(before, after, "Com_" + com) / n));
        }
        return figures;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }

    private static long sum(Map<String, Long> before, Map<String, Long> after, String prefix) {
        return after.keySet().stream().filter(k -> k.startsWith(prefix)).mapToLong(k -> delta(before, after, k)).sum();
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
