package io.herald.master.db;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The leader's fan-out writes, each one fenced transaction ({@link DispatchStore#fenced}): lock the next
 * fan-out still creating, read the next chunk of its subscribers after its cursor, insert one queued message
 * per subscriber (each with its reserved idempotency key, {@link FanoutStore#childKey}), and move the cursor,
 * all in one commit. A new leader reads the cursor its predecessor committed, so it resumes exactly there; a
 * fenced-out leader's chunk rolls back whole; and the unique key on the idempotency key would refuse a
 * second message for the same subscriber even if the cursor were wrong. The lock is a locking read of a fan-out
 * still {@code creating}, so it takes the state as last committed: a fan-out cancelled meanwhile
 * ({@link FanoutCancels}, which locks the row through the same index first) is passed over, and no chunk
 * follows its cancellation.
 */
public final class FanoutChunks implements FanoutWriter {
    private final DispatchStore fence;

    public FanoutChunks(DispatchStore fence) {
        this.fence = fence;
    }

    @Override
    public Optional<Chunk> createNext(long token, String holder, long after, int limit) throws SQLException, FencedOutException {
        return fence.fenced(token, holder, (c, f) -> Optional.ofNullable(createLocked(c, holder, after, limit)));
    }

    private record Parent(long id, String application, String topic, NewMessage template, String traceparent, long cursor,
                          long maxSubscriber, long created, long total) {}

    private record Target(long id, String target, String recipient) {}

    private static Chunk createLocked(Connection c, String holder, long after, int limit) throws SQLException {
        Parent parent = lockNext(c, after);
        if (parent == null) {
            return null;
        }
        List<Target> targets = subscribers(c, parent, limit);
        List<NewMessage> messages = new ArrayList<>(targets.size());
        NewMessage t = parent.template();
        for (Target s : targets) {
            messages.add(new NewMessage(t.application(), t.channel(), s.target(), t.subject(), t.body(), t.priority(),
                    FanoutStore.childKey(parent.id(), s.id()), t.template(), t.templateContext(), t.callbackUrl(), t.sendAt(), t.cancelKey(),
                    new NewMessage.Audience(s.recipient(), t.audience().category(), t.audience().critical()), t.dryRun()));
        }
        MessageInsert.insert(c, holder, messages, IntStream.range(0, messages.size()).boxed().toList(), new SubmitResult[messages.size()],
                parent.traceparent(), "fanned out from fan-out " + parent.id() + " (topic '" + parent.topic() + "')");
        boolean finished = targets.size() < limit;
        long created = parent.created() + targets.size();
        try (PreparedStatement update = c.prepareStatement("UPDATE fanout SET last_subscriber_id = ?, created = ?, state = ?,"
                + " total = ?, updated_at = NOW(3) WHERE id = ?")) {
            update.setLong(1, targets.isEmpty() ? parent.maxSubscriber() : targets.get(targets.size() - 1).id());
            update.setLong(2, created);
            update.setString(3, finished ? FanoutStore.SENDING : FanoutStore.CREATING);
            // Subscribers removed before their turn get no message: at the end the total is what was created.
            update.setLong(4, finished ? created : parent.total());
            update.setLong(5, parent.id());
            update.executeUpdate();
        }
        return new Chunk(parent.id(), targets.size(), finished);
    }

    private static Parent lockNext(Connection c, long after) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id, application, topic, channel, subject, body, priority,"
                + " template_name, template_context, callback_url, ROUND(UNIX_TIMESTAMP(send_at) * 1000), cancel_key, category, critical, traceparent,"
                + " last_subscriber_id, max_subscriber_id, created, total, dry_run FROM fanout WHERE state = ? AND id > ? ORDER BY id LIMIT 1 FOR UPDATE")) {
            select.setString(1, FanoutStore.CREATING);
            select.setLong(2, after);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long sendAt = rs.getLong(11);
                boolean scheduled = !rs.wasNull();
                NewMessage template = new NewMessage(rs.getString(2), new Channel(rs.getString(4)), null,
                        rs.getString(5), rs.getString(6), Priority.fromRank(rs.getInt(7)), null, rs.getString(8), rs.getString(9),
                        rs.getString(10), scheduled ? java.time.Instant.ofEpochMilli(sendAt) : null, rs.getString(12),
                        new NewMessage.Audience(null, rs.getString(13), rs.getInt(14) != 0), rs.getInt(20) != 0);
                return new Parent(rs.getLong(1), rs.getString(2), rs.getString(3), template, rs.getString(15), rs.getLong(16),
                        rs.getLong(17), rs.getLong(18), rs.getLong(19));
            }
        }
    }

    private static List<Target> subscribers(Connection c, Parent parent, int limit) throws SQLException {
        List<Target> targets = new ArrayList<>(limit);
        try (PreparedStatement select = c.prepareStatement("SELECT id, target, recipient FROM topic_subscriber WHERE application = ?"
                + " AND topic = ? AND channel = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?")) {
            select.setString(1, parent.application());
            select.setString(2, parent.topic());
            select.setString(3, parent.template().channel().wireName());
            select.setLong(4, parent.cursor());
            select.setLong(5, parent.maxSubscriber());
            select.setInt(6, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    byte[] recipient = rs.getBytes(3);
                    targets.add(new Target(rs.getLong(1), rs.getString(2), recipient == null ? null : new String(recipient, StandardCharsets.UTF_8)));
                }
            }
        }
        return targets;
    }
}
