package io.herald.master.db;

import io.herald.common.config.PolicyConfig.PriorityWeights;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageStatus;
import io.herald.common.transition.StatusSql;
import io.herald.master.policy.ClaimedRow;
import io.herald.master.policy.FairShare;
import io.herald.master.policy.FairShare.Group;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The selecting half of a claim, inside the leader's fenced transaction: which queued messages the
 * batch takes, split fairly between applications and priorities ({@link FairShare}).
 *
 * <p>Cost per batch, whatever the backlog: one loose index scan over {@code ix_message_fair}
 * (application, priority, status, next_attempt_at, id) that reads one index entry per
 * (application, priority) pair, and one {@code UNION ALL}
 * of per-group index range reads, each {@code LIMIT}ed to its quota. A group that had fewer due
 * messages than its quota leaves slots over; a second and third pass give them to the groups that
 * filled theirs, after the caller has marked the first pass's rows (so they are no longer queued).
 */
final class FairClaim {
    /** Groups read in one batch, oldest first; the rest are older next time, so they are not starved. */
    static final int MAX_GROUPS = 256;
    private static final int MAX_PASSES = 3;

    /** Marks one pass's rows, so the next pass does not select them again. */
    interface PassHandler {
        void handle(Connection c, List<ClaimedRow> rows) throws SQLException;
    }

    private final PriorityWeights priorityWeights;

    FairClaim(PriorityWeights priorityWeights) {
        this.priorityWeights = priorityWeights;
    }

    /**
     * Selects up to {@code limit} due messages of {@code groups} (from {@link #dueGroups}) and hands
     * each pass's rows to {@code handler}.
     */
    List<ClaimedRow> claim(Connection c, List<Group> groups, int limit, ToIntFunction<String> weight, Predicate<String> details,
                    PassHandler handler) throws SQLException {
        List<ClaimedRow> claimed = new ArrayList<>();
        List<Group> candidates = groups;
        for (int pass = 0; pass < MAX_PASSES && claimed.size() < limit && !candidates.isEmpty(); pass++) {
            Map<Group, Integer> quotas = FairShare.split(limit - claimed.size(), candidates, weight, priorityWeights);
            List<ClaimedRow> rows = select(c, quotas, details);
            if (rows.isEmpty()) {
                break;
            }
            handler.handle(c, rows);
            claimed.addAll(rows);
            candidates = filled(quotas, rows);
        }
        return claimed;
    }

    /** Every (application, priority) with a due message, oldest first, at most {@link #MAX_GROUPS}. */
    static List<Group> dueGroups(Connection c) throws SQLException {
        List<Group> groups = groups(c, MessageStatus.QUEUED, "<=");
        groups.sort(Comparator.comparing(Group::head));
        return groups.size() > MAX_GROUPS ? groups.subList(0, MAX_GROUPS) : groups;
    }

    /**
     * Up to {@code limit} ids of {@code status} messages whose {@code next_attempt_at} has passed, locked,
     * skipping rows locked by others. For a dispatched or sending message that column is when its lease
     * lapses, so this is the lease reaper's read, on the same index as the claim: one loose index scan
     * for the (application, priority) groups with an expired lease, then one range read per group.
     */
    static List<Long> expired(Connection c, MessageStatus status, int limit) throws SQLException {
        List<Group> groups = groups(c, status, "<");
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < groups.size() && ids.size() < limit; from += MAX_GROUPS) {
            List<Group> chunk = groups.subList(from, Math.min(groups.size(), from + MAX_GROUPS));
            ids.addAll(expiredIn(c, status, chunk, limit - ids.size()));
        }
        return ids;
    }

    private static List<Group> groups(Connection c, MessageStatus status, String beforeNow) throws SQLException {
        List<Group> groups = new ArrayList<>();
        // GROUP BY the index's first two columns with MIN of the fourth: a loose index scan, one
        // index dive per group however many messages wait (EXPLAIN: "Using index for group-by").
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application, priority, MIN(next_attempt_at) FROM message"
                        + " WHERE " + StatusSql.is(status) + " AND next_attempt_at " + beforeNow + " NOW(3) GROUP BY application, priority");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                groups.add(new Group(rs.getString(1), rs.getInt(2), Sql.instant(rs.getTimestamp(3))));
            }
        }
        return groups;
    }

    private static List<Long> expiredIn(Connection c, MessageStatus status, List<Group> groups, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ALL ")
                    .append("(SELECT id FROM message WHERE application = ? AND priority = ? AND ").append(StatusSql.is(status))
                    .append(" AND next_attempt_at < NOW(3) LIMIT ? FOR UPDATE SKIP LOCKED)");
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Group g : groups) {
                select.setString(p++, g.application());
                select.setInt(p++, g.priority());
                select.setInt(p++, limit);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<ClaimedRow> select(Connection c, Map<Group, Integer> quotas, Predicate<String> details) throws SQLException {
        List<Map.Entry<Group, Integer>> entries = new ArrayList<>(quotas.entrySet());
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ALL ")
                    .append("(SELECT id, application, priority, TIMESTAMPDIFF(MICROSECOND, next_attempt_at, NOW(3)), ")
                    .append(details.test(entries.get(i).getKey().application()) ? "channel, target, is_digest, dry_run" : "NULL, NULL, 0, 0")
                    .append(" FROM message")
                    .append(" WHERE application = ? AND priority = ? AND ").append(StatusSql.is(MessageStatus.QUEUED))
                    .append(" AND next_attempt_at <= NOW(3)")
                    .append(" ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)");
        }
        List<ClaimedRow> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Map.Entry<Group, Integer> e : entries) {
                select.setString(p++, e.getKey().application());
                select.setInt(p++, e.getKey().priority());
                select.setInt(p++, e.getValue());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ClaimedRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7) != 0, rs.getInt(8) != 0));
                }
            }
        }
        return rows;
    }

    private record Key(String application, int priority) {}

    /** The groups that gave all their quota: they may have more. */
    private static List<Group> filled(Map<Group, Integer> quotas, List<ClaimedRow> rows) {
        Map<Key, Integer> taken = new HashMap<>();
        rows.forEach(r -> taken.merge(new Key(r.application(), r.priority()), 1, Integer::sum));
        return quotas.entrySet().stream()
                .filter(e -> taken.getOrDefault(new Key(e.getKey().application(), e.getKey().priority()), 0) >= e.getValue())
                .map(Map.Entry::getKey)
                .sorted(Comparator.comparing(Group::head))
                .toList();
    }
}
