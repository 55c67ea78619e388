package io.herald.common.channel.builtin;

import jakarta.mail.MessagingException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Whether an SMTP refusal says the recipient's mailbox is gone for good, by its enhanced status code
 * (RFC 3463): 5.1.x, addressing (bad mailbox, bad domain, moved ...), except 5.1.7 and 5.1.8, which are
 * about the sender's address; and 5.2.1, mailbox disabled. Anything else (a full mailbox, 5.2.2; a policy
 * refusal, 5.7.x; a plain 550 without an enhanced code) is no reason to stop writing to the address.
 * A refusal of the sender (MAIL FROM) never counts: it says nothing about the recipient.
 */
final class MailboxGone {
    /** "550 5.1.1 ..." or "550-5.1.1 ...": the reply code, then the enhanced code. */
    private static final Pattern ENHANCED = Pattern.compile("^\\s*5\\d\\d[ -]5\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    private MailboxGone() {}

    static boolean in(MessagingException e) {
        boolean gone = false;
        for (Exception current = e; current != null; ) {
            if (current instanceof SMTPSenderFailedException) {
                return false;
            }
            if (current instanceof SMTPAddressFailedException failed && failed.getReturnCode() >= 500) {
                gone |= names(failed.getMessage());
            } else if (current instanceof SMTPSendFailedException failed && failed.getReturnCode() >= 500
                    && !isMailFrom(failed.getCommand())) {
                gone |= names(failed.getMessage());
            }
            Exception next = current instanceof MessagingException me ? me.getNextException() : null;
            current = next == current ? null : next;
        }
        return gone;
    }

    private static boolean isMailFrom(String command) {
        return command != null && command.toUpperCase(Locale.ROOT).startsWith("MAIL");
    }

    /** Whether {@code reply} carries one of the enhanced codes that name the recipient's mailbox. */
    static boolean names(String reply) {
        if (reply == null) {
            return false;
        }
        Matcher m = ENHANCED.matcher(reply);
        if (!m.find()) {
            return false;
        }
        int subject = Integer.parseInt(m.group(1));
        int detail = Integer.parseInt(m.group(2));
        return (subject == 1 && detail != 7 && detail != 8) || (subject == 2 && detail == 1);
    }
}
