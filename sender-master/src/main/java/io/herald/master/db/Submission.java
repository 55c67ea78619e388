package io.herald.master.db;

import io.herald.common.db.Sql;
import io.herald.common.transition.StatusSql;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One API request's messages stored in the caller's transaction ({@link MessageStore#submit}): their
 * idempotency keys looked up, and the new ones inserted ({@link MessageInsert}).
 */
final class Submission {
    private final String nodeId;

    Submission(String nodeId) {
        this.nodeId = nodeId;
    }

    private record Key(String application, String idempotencyKey) {}

    /** What a key is bound to: the first message's result and the hash of its content (null for rows from before V50). */
    private record Stored(SubmitResult result, byte[] hash) {}

    List<SubmitResult> store(Connection c, List<NewMessage> messages, String prefixFormat, String traceparent) throws SQLException {
        SubmitResult[] results = new SubmitResult[messages.size()];
        Map<Key, Stored> known = existing(c, messages);
        Map<Key, Integer> firstInBatch = new HashMap<>();
        List<Integer> toInsert = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage m = messages.get(i);
            Key key = m.idempotencyKey() == null ? null : new Key(m.application(), m.idempotencyKey());
            if (key != null && known.containsKey(key)) {
                Stored first = known.get(key);
                requireSameContent(first.hash(), m, first.result().id(), prefixFormat.formatted(i));
                results[i] = new SubmitResult(first.result().id(), first.result().status(), true);
            } else if (key != null && firstInBatch.containsKey(key)) {
                requireSameContent(IdempotencyHash.of(messages.get(firstInBatch.get(key))), m, -1, prefixFormat.formatted(i));
                results[i] = null; // filled from the first occurrence below
            } else {
                if (key != null) {
                    firstInBatch.put(key, i);
                }
                toInsert.add(i);
            }
        }
        MessageInsert.insert(c, nodeId, messages, toInsert, results, traceparent);
        for (int i = 0; i < messages.size(); i++) {
            if (results[i] == null) {
                NewMessage m = messages.get(i);
                SubmitResult first = results[firstInBatch.get(new Key(m.application(), m.idempotencyKey()))];
                results[i] = new SubmitResult(first.id(), first.status(), true);
            }
        }
        return List.of(results);
    }

    /** A key reused with other content is the caller's mistake: 409, naming the message that holds the key. */
    private static void requireSameContent(byte[] firstHash, NewMessage m, long firstId, String prefix) {
        if (firstHash != null && !java.util.Arrays.equals(firstHash, IdempotencyHash.of(m))) {
            String holder = firstId < 0 ? "an earlier message of this batch" : "message " + firstId;
            throw InvalidRequestException.of(409, prefix + "idempotencyKey",
                    "was used for " + holder + " with different content; use a new key for a new message");
        }
    }

    private static Map<Key, Stored> existing(Connection c, List<NewMessage> messages) throws SQLException {
        List<NewMessage> keyed = messages.stream().filter(m -> m.idempotencyKey() != null).toList();
        Map<Key, Stored> found = new HashMap<>();
        if (keyed.isEmpty()) {
            return found;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT application, idempotency_key, id, " + StatusSql.REPORTED + ", idempotency_hash FROM message WHERE (application, idempotency_key) IN ("
                        + Sql.pairPlaceholders(keyed.size()) + ")")) {
            int p = 1;
            for (NewMessage m : keyed) {
                select.setString(p++, m.application());
                select.setBytes(p++, IdempotencyHash.keyBytes(m.idempotencyKey()));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Key key = new Key(rs.getString(1), new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8));
                    found.put(key, new Stored(new SubmitResult(rs.getLong(3), rs.getString(4), true), rs.getBytes(5)));
                }
            }
        }
        return found;
    }
}
