package io.herald.worker.db;

import io.herald.common.db.Sql;
import io.herald.common.model.Channel;
import io.herald.common.suppression.SuppressionList;
import io.herald.worker.core.Outcome;
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
 * Puts the targets of outcomes whose receiver said they are gone (SMTP 5.1.x or 5.2.1, HTTP 410) on their
 * applications' suppression lists, in the transaction that records the outcomes: the entry and the dead
 * letter (or fallback) that caused it are written together or not at all. Rare, so it reads the channel and
 * target it needs here rather than in the hot read of every outcome. When this outcome moved the message to
 * its fallback, the target that is gone was saved in {@code original_target} as it moved on.
 */
final class TargetsGone {
    private TargetsGone() {}

    static void suppress(Connection c, List<Outcome> gone, Duration ttl) throws SQLException {
        if (gone.isEmpty()) {
            return;
        }
        Map<Long, Outcome> outcomes = new HashMap<>();
        gone.forEach(o -> outcomes.put(o.messageId(), o));
        List<SuppressionList.Entry> entries = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT id, application, channel, target, original_channel, original_target"
                + " FROM message WHERE id IN (" + Sql.placeholders(outcomes.size()) + ")")) {
            Sql.bindLongs(select, 1, List.copyOf(outcomes.keySet()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Outcome o = outcomes.get(rs.getLong(1));
                    String channel = rs.getString(o.isFallback() ? 5 : 3);
                    String target = rs.getString(o.isFallback() ? 6 : 4);
                    String source = Channel.WEBHOOK.wireName().equals(channel) ? SuppressionList.WEBHOOK : SuppressionList.SMTP;
                    entries.add(new SuppressionList.Entry(rs.getString(2), channel, target, o.error(), source, o.messageId(), ttl));
                }
            }
        }
        SuppressionList.add(c, entries);
    }
}
