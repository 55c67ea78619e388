package io.herald.master.db;

import io.herald.common.db.Sql;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.OwnMessages;
import io.herald.common.transition.OwnMessages.OwnMessage;
import io.herald.common.transition.StatusChange;
import io.herald.master.policy.AdmissionPolicy;
import io.herald.master.policy.ClaimedRow;
import io.herald.master.policy.Outbox;
import io.herald.master.policy.PolicyMetrics;
import io.herald.master.policy.ApplicationPolicy;
import io.herald.master.policy.ApplicationPolicy.Quota;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-application quotas for one claim, inside the leader's fenced transaction. Usage is what each
 * application had dispatched within its sliding window, kept in {@code quota_usage} in buckets of 1/60
 * of the window (at least 1 s), from the database clock. Only the leader writes it, in the same
 * transaction as the claim, so a claim refused by the fence leaves no usage behind, and a new leader
 * counts on from where the old one stopped.
 *
 * <p>Past a hard limit, messages are rejected. Past a soft one they go out, and the owner is warned at
 * most once per {@code policy.quota.warnInterval}: the warning email goes into the {@link Outbox}.
 */
public final class QuotaLedger implements AdmissionPolicy.Round {
    /** How a claimed message stands against its application's quota. */
    enum Verdict { WITHIN, OVER_SOFT, REJECTED }

    /** The quota policy, built once; each claim gets its own ledger. */
    public static AdmissionPolicy policy(Duration warnInterval, PolicyStore owners) {
        return new AdmissionPolicy() {
            @Override
            public AdmissionPolicy.Round begin(Connection c, Map<String, ApplicationPolicy> policies) throws SQLException {
                return load(c, policies, warnInterval.toMillis(), owners);
            }

            @Override
            public void expire(Connection c, int limit) throws SQLException {
                QuotaLedger.expire(c, limit);
            }
        };
    }

    private final Map<String, Quota> quotas;
    private final long nowMillis;
    private final long warnIntervalMillis;
    private final PolicyStore owners;
    private final List<String> warned = new ArrayList<>();
    private final Map<String, Long> used;
    private final Map<String, Integer> added = new HashMap<>();
    private final Map<String, Integer> overSoft = new HashMap<>();
    private final Map<String, Integer> rejected = new HashMap<>();

    private QuotaLedger(Map<String, Quota> quotas, long nowMillis, Map<String, Long> used, long warnIntervalMillis, PolicyStore owners) {
        this.quotas = quotas;
        this.nowMillis = nowMillis;
        this.used = used;
        this.warnIntervalMillis = warnIntervalMillis;
        this.owners = owners;
    }

    /** Reads the usage of every application in {@code policies} that has a limit; none, no statement. */
    static QuotaLedger load(Connection c, Map<String, ApplicationPolicy> policies, long warnIntervalMillis, PolicyStore owners)
            throws SQLException {
        Map<String, Quota> limited = new HashMap<>();
        policies.forEach((application, policy) -> {
            if (policy.quota().limited()) {
                limited.put(application, policy.quota());
            }
        });
        if (limited.isEmpty()) {
            return new QuotaLedger(limited, 0, new HashMap<>(), warnIntervalMillis, owners);
        }
        long now = nowMillis(c);
        long longest = limited.values().stream().mapToLong(Quota::windowMillis).max().orElseThrow();
        Map<String, Long> used = new HashMap<>();
        List<String> applications = List.copyOf(limited.keySet());
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application, bucket_start, dispatched FROM quota_usage WHERE bucket_start > ? AND application IN ("
                        + Sql.placeholders(applications.size()) + ")")) {
            select.setLong(1, now - longest);
            for (int i = 0; i < applications.size(); i++) {
                select.setString(2 + i, applications.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    // A bucket counts while it starts inside the window: the window slides a bucket at a time.
                    if (rs.getLong(2) > now - limited.get(rs.getString(1)).windowMillis()) {
                        used.merge(rs.getString(1), rs.getLong(3), Long::sum);
                    }
                }
            }
        }
        return new QuotaLedger(limited, now, used, warnIntervalMillis, owners);
    }

    private static long nowMillis(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Counts one message of {@code application} as dispatched, unless that would pass its hard limit. */
    private Verdict admit(String application) {
        Quota quota = quotas.get(application);
        if (quota == null) {
            return Verdict.WITHIN;
        }
        long count = used.getOrDefault(application, 0L);
        if (quota.hard() > 0 && count >= quota.hard()) {
            rejected.merge(application, 1, Integer::sum);
            return Verdict.REJECTED;
        }
        used.put(application, count + 1);
        added.merge(application, 1, Integer::sum);
        if (quota.soft() > 0 && count + 1 > quota.soft()) {
            overSoft.merge(application, 1, Integer::sum);
            return Verdict.OVER_SOFT;
        }
        return Verdict.WITHIN;
    }

    @Override
    public boolean needsDetails(String application) {
        return false;
    }

    /** Rejects, per application, the rows past its hard limit; counts the others as dispatched. */
    @Override
    public AdmissionPolicy.Decisions decide(Connection c, String holder, List<ClaimedRow> rows) {
        if (quotas.isEmpty()) {
            return AdmissionPolicy.Decisions.admitAll(rows);
        }
        List<ClaimedRow> admitted = new ArrayList<>(rows.size());
        Map<String, List<Long>> refused = new HashMap<>();
        for (ClaimedRow row : rows) {
            if (admit(row.application()) == Verdict.REJECTED) {
                refused.computeIfAbsent(row.application(), a -> new ArrayList<>()).add(row.id());
            } else {
                admitted.add(row);
            }
        }
        List<AdmissionPolicy.Refusal> refusals = new ArrayList<>();
        refused.forEach((application, ids) -> {
            String reason = rejection(application);
            refusals.add(new AdmissionPolicy.Refusal(
                    StatusChange.of(MessageTransition.REJECT).set("last_error = ?", reason), reason, ids));
        });
        return new AdmissionPolicy.Decisions(admitted, refusals);
    }

    @Override
    public void finish(Connection c, String holder, Outbox outbox) throws SQLException {
        write(c);
        warnOwners(c, outbox);
    }

    @Override
    public PolicyMetrics.Counts counts() {
        return new PolicyMetrics.Counts(Map.copyOf(overSoft), Map.copyOf(rejected), List.copyOf(warned), 0, 0);
    }

    /** Why a message of {@code application} was rejected, as stored in its {@code last_error}. */
    private String rejection(String application) {
        Quota quota = quotas.get(application);
        return "rejected: application '" + application + "' is over its hard quota of " + quota.hard()
                + " message(s) per " + quota.windowMillis() + " ms";
    }

    /** Adds this claim's dispatched messages to the current bucket of each application. */
    private void write(Connection c) throws SQLException {
        if (added.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO quota_usage (application, bucket_start, dispatched) VALUES (?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE dispatched = dispatched + ?")) {
            for (Map.Entry<String, Integer> e : added.entrySet()) {
                long bucket = quotas.get(e.getKey()).bucketMillis();
                upsert.setString(1, e.getKey());
                upsert.setLong(2, nowMillis - Math.floorMod(nowMillis, bucket));
                upsert.setInt(3, e.getValue());
                upsert.setInt(4, e.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * Puts an email to the owner of each application that went past its soft limit in the outbox, unless
     * one was queued within the warning interval. The time of the last warning is in {@code quota_warning},
     * written in this transaction, so the limit holds across failover.
     */
    private void warnOwners(Connection c, Outbox outbox) throws SQLException {
        for (String application : overSoft.keySet()) {
            if (!warningDue(c, application, warnIntervalMillis)) {
                continue;
            }
            String owner = owners.ownerEmail(c, application);
            if (owner != null) {
                outbox.add(c, warning(application, owner), "soft-quota warning for application '" + application + "' to its owner");
                warned.add(application);
            }
        }
    }

    private static boolean warningDue(Connection c, String application, long intervalMillis) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT warned_at <= TIMESTAMPADD(MICROSECOND, ?, NOW(3)) FROM quota_warning WHERE application = ? FOR UPDATE")) {
            select.setLong(1, -intervalMillis * 1_000);
            select.setString(2, application);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next() && !rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO quota_warning (application, warned_at) VALUES (?, NOW(3)) ON DUPLICATE KEY UPDATE warned_at = NOW(3)")) {
            upsert.setString(1, application);
            upsert.executeUpdate();
        }
        return true;
    }

    private OwnMessage warning(String application, String owner) {
        long intervalMillis = warnIntervalMillis;
        Quota quota = quotas.get(application);
        String body = "Application '" + application + "' has dispatched " + used.get(application) + " message(s) in the last "
                + quota.windowMillis() + " ms, over its soft quota of " + quota.soft() + ".\n"
                + (quota.hard() > 0 ? "Past its hard quota of " + quota.hard() + ", Herald rejects its messages instead of sending them.\n"
                        : "It has no hard quota; its messages are still sent.\n")
                + "Herald sends this warning at most once every " + intervalMillis + " ms.\n";
        return new OwnMessage(OwnMessages.SYSTEM_APPLICATION, Channel.EMAIL.wireName(), owner,
                "Herald: application '" + application + "' is over its soft quota", body, Priority.HIGH.rank(), false, 0);
    }

    /** Usage rows older than the longest window a quota may have (a day) are no longer read. */
    private static int expire(Connection c, int limit) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM quota_usage WHERE bucket_start < CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) - ? LIMIT ?")) {
            delete.setLong(1, 2 * 86_400_000L);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }
}
