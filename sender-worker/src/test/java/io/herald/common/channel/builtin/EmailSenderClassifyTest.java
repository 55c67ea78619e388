package io.herald.common.channel.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.channel.SendResult;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailSenderClassifyTest {
    private static final Address[] NONE = new Address[0];

    private static SMTPSendFailedException sendFailed(String command, int code, String reply) {
        return new SMTPSendFailedException(command, code, reply, null, NONE, NONE, NONE);
    }

    private static SMTPAddressFailedException addressFailed(int code, String reply) throws Exception {
        return new SMTPAddressFailedException(new InternetAddress("someone@example.com"), "RCPT TO:<someone@example.com>", code, reply);
    }

    @ParameterizedTest
    @ValueSource(ints = {421, 450, 451, 452, 454})
    void treats_an_smtp_4xx_reply_as_transient(int code) {
        SendResult result = EmailSender.classify(sendFailed("DATA", code, code + " 4.3.0 try again later"), false);

        assertThat(result).isInstanceOf(SendResult.Transient.class);
        assertThat(((SendResult.Transient) result).error()).startsWith("SMTP: ").contains("try again later");
        assertThat(((SendResult.Transient) result).retryAfter()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 550, 552, 553, 554})
    void treats_an_smtp_5xx_reply_as_permanent(int code) {
        SendResult result = EmailSender.classify(sendFailed("DATA", code, code + " 5.7.1 message rejected"), true);

        assertThat(result).isInstanceOf(SendResult.Permanent.class);
        assertThat(((SendResult.Permanent) result).error()).startsWith("SMTP: ").contains("message rejected");
    }

    @Test
    void treats_a_rejected_recipient_as_permanent() throws Exception {
        // How Angus reports RCPT TO failures: a SendFailedException chaining the per-address failure.
        SendFailedException e = new SendFailedException("Invalid Addresses", addressFailed(550, "550 5.1.1 no such user"));

        assertThat(EmailSender.classify(e, false)).isInstanceOf(SendResult.Permanent.class);
    }

    @Test
    void treats_a_recipient_deferred_with_4xx_as_transient() throws Exception {
        SendFailedException e = new SendFailedException("Invalid Addresses", addressFailed(450, "450 4.2.1 mailbox busy"));

        assertThat(EmailSender.classify(e, false)).isInstanceOf(SendResult.Transient.class);
    }

    @Test
    void treats_a_rejected_sender_as_permanent() throws Exception {
        // How Angus reports MAIL FROM failures: the send failure, with the sender failure chained on.
        SMTPSendFailedException e = sendFailed("MAIL FROM:<herald@example.com>", 550, "550 5.4.5 daily quota exceeded");
        e.setNextException(new SMTPSenderFailedException(new InternetAddress("herald@example.com"),
                "MAIL FROM:<herald@example.com>", 550, "550 5.4.5 daily quota exceeded"));

        assertThat(EmailSender.classify(e, false)).isInstanceOf(SendResult.Permanent.class);
    }

    @Test
    void finds_a_5xx_reply_deeper_in_the_chain() {
        MessagingException e = new MessagingException("send failed", sendFailed("DATA", 554, "554 5.7.1 spam"));

        assertThat(EmailSender.classify(e, false)).isInstanceOf(SendResult.Permanent.class);
    }

    @Test
    void treats_a_wrapped_io_failure_as_transient() {
        MessagingException e = new MessagingException("Exception reading response", new IOException("connection reset"));

        SendResult result = EmailSender.classify(e, false);

        assertThat(result).isInstanceOf(SendResult.Transient.class);
        assertThat(((SendResult.Transient) result).error()).contains("connection reset");
    }

    @Test
    void treats_a_timeout_as_transient() {
        MessagingException e = new MessagingException("Read timed out", new SocketTimeoutException("Read timed out"));

        assertThat(EmailSender.classify(e, false)).isInstanceOf(SendResult.Transient.class);
    }

    @Test
    void treats_a_messaging_failure_without_a_reply_code_as_transient() {
        SendResult result = EmailSender.classify(new MessagingException("Could not connect to SMTP host"), false);

        assertThat(result).isInstanceOf(SendResult.Transient.class);
        assertThat(((SendResult.Transient) result).error()).isEqualTo("SMTP: Could not connect to SMTP host");
    }

    @Test
    void describes_a_failure_with_no_message_by_its_type() {
        SendResult result = EmailSender.classify(new MessagingException(), false);

        assertThat(((SendResult.Transient) result).error()).isEqualTo("SMTP: MessagingException");
    }

    @Test
    void a_timeout_or_a_421_while_the_message_was_being_sent_is_ambiguous_and_before_it_is_not() {
        MessagingException timeout = new MessagingException("Read timed out", new SocketTimeoutException("Read timed out"));
        SendResult.Transient during = (SendResult.Transient) EmailSender.classify(timeout, true);
        assertThat(during.ambiguous()).isTrue();
        assertThat(during.cause()).isEqualTo(SendResult.Cause.TIMEOUT);
        assertThat(during.error()).startsWith("message sent, answer lost: SMTP: Read timed out");
        assertThat(((SendResult.Transient) EmailSender.classify(timeout, false)).ambiguous()).isFalse();
        assertThat(((SendResult.Transient) EmailSender.classify(sendFailed("DATA", 421, "421 4.3.2 closing connection"), true)).ambiguous())
                .isTrue();
        assertThat(((SendResult.Transient) EmailSender.classify(sendFailed("DATA", 451, "451 4.3.0 try again later"), true)).ambiguous())
                .isFalse();
    }

    private static boolean targetGone(SendResult result) {
        return result instanceof SendResult.Permanent p && p.targetGone();
    }

    @ParameterizedTest
    @ValueSource(strings = {"550 5.1.1 no such user", "550-5.1.1 The email account that you tried to reach does not exist",
            "553 5.1.3 bad destination mailbox address syntax", "550 5.1.10 recipient address rejected: null MX",
            "551 5.1.6 mailbox has moved", "550 5.2.1 mailbox disabled", "554 5.1.2 bad destination system address"})
    void a_refused_recipient_whose_mailbox_is_gone_suppresses_its_address(String reply) throws Exception {
        SendFailedException e = new SendFailedException("Invalid Addresses", addressFailed(Integer.parseInt(reply.substring(0, 3)), reply));

        assertThat(targetGone(EmailSender.classify(e, false))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"552 5.2.2 mailbox full", "550 5.7.1 relaying denied", "550 5.1.7 bad sender mailbox syntax",
            "550 5.1.8 bad sender system address", "550 no such user here", "550 5.4.1 recipient address rejected: access denied"})
    void a_refusal_that_does_not_say_the_mailbox_is_gone_is_a_dead_letter_only(String reply) throws Exception {
        SendFailedException e = new SendFailedException("Invalid Addresses", addressFailed(Integer.parseInt(reply.substring(0, 3)), reply));

        SendResult result = EmailSender.classify(e, false);
        assertThat(result).isInstanceOf(SendResult.Permanent.class);
        assertThat(targetGone(result)).isFalse();
    }

    @Test
    void a_deferred_recipient_with_a_mailbox_code_is_not_suppressed() throws Exception {
        SendFailedException e = new SendFailedException("Invalid Addresses", addressFailed(450, "450 4.1.1 try later"));

        assertThat(targetGone(EmailSender.classify(e, false))).isFalse();
    }

    @Test
    void a_refused_sender_never_suppresses_the_recipient() throws Exception {
        SMTPSendFailedException e = sendFailed("MAIL FROM:<herald@example.com>", 550, "550 5.1.1 sender unknown");
        e.setNextException(new SMTPSenderFailedException(new InternetAddress("herald@example.com"),
                "MAIL FROM:<herald@example.com>", 550, "550 5.1.1 sender unknown"));

        assertThat(targetGone(EmailSender.classify(e, false))).isFalse();
    }

    @Test
    void a_mailbox_refused_after_data_is_suppressed_too() {
        assertThat(targetGone(EmailSender.classify(sendFailed("DATA", 550, "550 5.2.1 account disabled"), true))).isTrue();
    }
}
