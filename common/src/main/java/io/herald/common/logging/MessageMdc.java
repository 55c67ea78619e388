package io.herald.common.logging;

import org.slf4j.MDC;

/**
 * Puts the node id, message id and application of the message being worked on into the logging MDC,
 * so the {@code json} log format carries them as fields ({@code mdc.node}, {@code mdc.messageId},
 * {@code mdc.application}) on every line written meanwhile on this thread:
 * {@code try (MessageMdc ignored = MessageMdc.open(node, id, application)) { ... }}.
 * Scopes do not nest: closing one removes the three keys. The scope object is shared, so opening one
 * allocates only the id's text.
 */
public final class MessageMdc implements AutoCloseable {
    public static final String NODE = "node";
    public static final String MESSAGE_ID = "messageId";
    public static final String APPLICATION = "application";

    private static final MessageMdc SCOPE = new MessageMdc();

    private MessageMdc() {}

    public static MessageMdc open(String nodeId, long messageId, String application) {
        MDC.put(NODE, nodeId);
        MDC.put(MESSAGE_ID, Long.toString(messageId));
        MDC.put(APPLICATION, application);
        return SCOPE;
    }

    @Override
    public void close() {
        MDC.remove(NODE);
        MDC.remove(MESSAGE_ID);
        MDC.remove(APPLICATION);
    }
}
