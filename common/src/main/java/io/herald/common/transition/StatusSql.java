package io.herald.common.transition;

import io.herald.common.model.MessageStatus;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Conditions on {@code message.status} for reads, built from {@link MessageStatus}: the one place
 * outside the migrations where a status is spelled in SQL. Writes go through {@link StatusChange}.
 */
public final class StatusSql {
    /**
     * The status as the API reports it: {@code status}, except that a queued message whose {@code sendAt}
     * is still ahead on the database clock is {@code scheduled} ({@link MessageStatus#SCHEDULED}). Such a
     * message cannot have been claimed yet: it is due at its {@code sendAt}.
     */
    public static final String REPORTED = "CASE WHEN " + is(MessageStatus.QUEUED) + " AND send_at > NOW(3) THEN '"
            + MessageStatus.SCHEDULED.wireName() + "' ELSE status END";

    /**
     * When the message was sent, NULL unless it is {@code sent}: {@code sent_at} is NOT NULL so that the send
     * does not grow the row (V108), and holds the time the row was stored until then.
     */
    public static final String SENT_AT = "CASE WHEN " + is(MessageStatus.SENT) + " THEN sent_at END";

    private StatusSql() {}

    /** {@code status = 'queued'}. */
    public static String is(MessageStatus status) {
        return is("status", status);
    }

    /** {@code <column> = 'queued'}, for a qualified column such as {@code d.status}. */
    public static String is(String column, MessageStatus status) {
        return column + " = '" + status.wireName() + "'";
    }

    /** {@code status IN ('sent', 'dead')}. */
    public static String in(MessageStatus... statuses) {
        return in("status", Arrays.asList(statuses));
    }

    public static String in(String column, Collection<MessageStatus> statuses) {
        return column + " IN (" + statuses.stream().sorted().map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", ")) + ")";
    }
}
