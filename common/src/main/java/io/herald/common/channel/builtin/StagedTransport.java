package io.herald.common.channel.builtin;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport, telling how far the last message got. A relay takes a message only when it
 * answers the end of its data, so a failure before that end was sent never leaves the message with the
 * relay (it drops an unfinished transaction), and only a failure after it is ambiguous.
 */
final class StagedTransport extends SMTPTransport {
    private volatile boolean endSent;

    StagedTransport(Session session, URLName url) {
        super(session, url);
    }

    @Override
    protected void mailFrom() throws MessagingException {
        endSent = false;
        super.mailFrom();
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        endSent = true;
        super.finishData();
    }

    /** Whether the last message's end of data was sent: only then may the relay have taken it. */
    boolean endSent() {
        return endSent;
    }
}
