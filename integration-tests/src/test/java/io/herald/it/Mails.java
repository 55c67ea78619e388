package io.herald.it;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/** Reading what a test's GreenMail server received. */
final class Mails {
    private Mails() {}

    /** The first value of a header, or "" when the mail has none. */
    static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? "" : values[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every mail Herald sent for the message with this id. */
    static List<MimeMessage> forMessage(GreenMailExtension smtp, long id) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> header(m, "X-Herald-Message-Id").equals(Long.toString(id)))
                .toList();
    }
}
