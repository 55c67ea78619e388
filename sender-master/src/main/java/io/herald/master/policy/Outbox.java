package io.herald.master.policy;

import io.herald.common.transition.OwnMessages.OwnMessage;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where an admission policy puts a side effect (a message of Herald's own, such as the owner's warning
 * email), in the claim's fenced transaction: it is written with the claim, or not at all, and turned into
 * a message outside the fence ({@code master.core.OutboxRelay}).
 */
public interface Outbox {
    void add(Connection c, OwnMessage message, String reason) throws SQLException;
}
