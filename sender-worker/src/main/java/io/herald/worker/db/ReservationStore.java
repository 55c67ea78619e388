package io.herald.worker.db;

import io.herald.common.db.Database;
import io.herald.common.db.Sql;
import io.herald.common.model.MessageTransition;
import io.herald.common.transition.StatusBatch;
import io.herald.common.transition.StatusChange;
import io.herald.worker.core.DedupReservations;
import io.herald.worker.core.OutgoingMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A worker's dedup reservations. One {@code delivery} row per message and attempt is inserted before
 * anything is sent; its primary key is the dedup key, so of two workers holding the same task exactly one
 * inserts it, and only that one sends. Each reservation carries a random id (the {@code claim} column,
 * named before the glossary) by which the worker reads back the keys it won.
 */
public record ReservationStore(Database database, String workerId) implements DedupReservations {
    @Override
    public Reservation reserve(List<Long> ids, Duration sendLease) throws SQLException {
        return database.inTransaction(c -> {
            Map<Long, OutgoingMessage> candidates = DispatchedRows.read(c, ids);
            if (candidates.isEmpty()) {
                return new Reservation(List.of(), ids.size());
            }
            String reservation = UUID.randomUUID().toString();
            insertDedupKeys(c, candidates.values(), reservation);
            Set<Long> won = wonBy(c, candidates.values(), reservation);
            List<OutgoingMessage> mine = candidates.values().stream().filter(m -> won.contains(m.id())).toList();
            if (!mine.isEmpty()) {
                markSending(c, mine, sendLease);
            }
            return new Reservation(mine, ids.size() - mine.size());
        });
    }

    private void insertDedupKeys(Connection c, Iterable<OutgoingMessage> messages, String reservation) throws SQLException {
        // Sorted keys (by id) keep concurrent reservations of the same task from deadlocking on each other.
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT IGNORE INTO delivery (dedup_key, message_id, attempt, worker, claim) VALUES (?, ?, ?, ?, ?)")) {
            List<OutgoingMessage> sorted = new ArrayList<>();
            messages.forEach(sorted::add);
            sorted.sort(Comparator.comparingLong(OutgoingMessage::id));
            for (OutgoingMessage m : sorted) {
                insert.setString(1, OutgoingMessage.attemptKey(m.id(), m.attempt()));
                insert.setLong(2, m.id());
                insert.setInt(3, m.attempt());
                insert.setString(4, workerId);
                insert.setString(5, reservation);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Which of {@code messages}' dedup keys this reservation inserted. Read through the primary key, so the
     * claim column needs no index of its own (one index entry fewer written per message).
     */
    private static Set<Long> wonBy(Connection c, Collection<OutgoingMessage> messages, String reservation) throws SQLException {
        Set<Long> won = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT message_id FROM delivery WHERE claim = ? AND dedup_key IN ("
                + Sql.placeholders(messages.size()) + ")")) {
            select.setString(1, reservation);
            int p = 2;
            for (OutgoingMessage m : messages) {
                select.setString(p++, OutgoingMessage.attemptKey(m.id(), m.attempt()));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    won.add(rs.getLong(1));
                }
            }
        }
        return won;
    }

    /** One UPDATE and one multi-row insert of the events. A sending message is due when its send lease lapses (the reaper's read). */
    private void markSending(Connection c, List<OutgoingMessage> mine, Duration sendLease) throws SQLException {
        Map<Long, String> reasons = new LinkedHashMap<>();
        mine.forEach(m -> reasons.put(m.id(), "reserved by a worker for attempt " + m.attempt()));
        StatusBatch.on(c, workerId)
                .change(StatusChange.of(MessageTransition.START_SENDING).set("attempts = attempts + 1")
                        .set("next_attempt_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))", sendLease.toNanos() / 1_000), reasons)
                .finish();
    }
}
