package io.herald.tools.drill;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The drill's SMTP receiver (SubEtha SMTP): records each message by its X-Herald-Message-Id header and
 * answers the DATA command as the fault plan says: 250, 451, 452, 550, a late 250, or a 421 and a
 * closed connection after the message was kept.
 */
final class SmtpSink implements AutoCloseable {
    private static final String HEADER = "X-Herald-Message-Id:";

    private final SMTPServer server;
    private final DeliveryLedger ledger;
    private final long lateAnswerMillis;

    /** {@code lateAnswerMillis} must exceed the workers' SMTP timeout. */
    SmtpSink(DeliveryLedger ledger, int port, long lateAnswerMillis) {
        this.ledger = ledger;
        this.lateAnswerMillis = lateAnswerMillis;
        this.server = SMTPServer.port(port)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("drill.herald.test")
                .maxConnections(256)
                .messageHandler((context, from, to, data) -> receive(data))
                .build();
        server.start();
    }

    private void receive(byte[] data) throws RejectException {
        long id = messageId(new String(data, StandardCharsets.ISO_8859_1));
        if (id < 0) {
            throw new RejectException(554, "5.6.0 no " + HEADER + " header");
        }
        switch (ledger.arrive(id)) {
            case ACCEPT -> { }
            case TRANSIENT -> throw new RejectException(451, "4.3.0 try again later");
            case THROTTLE -> throw new RejectException(452, "4.5.3 too many messages, slow down");
            case PERMANENT -> throw new RejectException(550, "5.7.1 message refused");
            case TIMEOUT_AFTER_ACCEPT -> answerLate();
            case CLOSE_AFTER_ACCEPT -> throw new DropConnectionException(421, "4.3.2 closing connection");
        }
    }

    private void answerLate() {
        try {
            Thread.sleep(lateAnswerMillis); // the fault itself: a receiver that keeps the message and answers too late
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Herald's id from the header block; -1 when absent. */
    static long messageId(String message) {
        int headersEnd = message.indexOf("\r\n\r\n");
        String headers = headersEnd < 0 ? message : message.substring(0, headersEnd);
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, HEADER, 0, HEADER.length())) {
                try {
                    return Long.parseLong(line.substring(HEADER.length()).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop();
    }
}
