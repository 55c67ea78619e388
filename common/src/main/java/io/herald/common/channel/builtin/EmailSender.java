package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import io.herald.common.config.SmtpConfig;
import io.herald.common.loop.NamedThreads;
import io.herald.common.model.EmailAddress;
import io.herald.common.channel.SendResult;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code email} channel: SMTP through Jakarta Mail (Eclipse Angus), over a pool of connections
 * that stay open between messages. Each connection carries one message at a time; the pool size is
 * {@code smtp.connections}.
 *
 * <p>The Message-ID is derived from the message's dedup key, so a retry carries the same id and a
 * receiver can drop the repeat; {@code X-Herald-Message-Id} carries Herald's id. SMTP 4xx replies,
 * timeouts and dropped connections are transient; 5xx replies are permanent. A timeout, a dropped
 * connection or a 421 (the server closing the channel) while the message itself was being sent is
 * ambiguous: the server may have taken it.
 */
public final class EmailSender implements ChannelSender {
    private static final Logger LOG = LoggerFactory.getLogger(EmailSender.class);
    /** Servers drop idle clients; a connection idle this long is reopened before use rather than failing a send. */
    private static final long MAX_IDLE_NANOS = 20_000_000_000L;
    /** SMTP 421: the server is closing the channel, possibly after it took the message. */
    private static final int SERVICE_CLOSING = 421;

    private final SmtpConfig config;
    private final Session session;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final ExecutorService executor;
    private final BlockingQueue<Connection> pool;
    private final String workerId;
    private final UnsubscribeLinks unsubscribe;

    /** One SMTP connection and when it was last used. */
    private static final class Connection {
        Transport transport;
        long lastUsed;
    }

    public EmailSender(SmtpConfig config, UnsubscribeLinks unsubscribe, String workerId) throws MessagingException {
        this.config = config;
        this.unsubscribe = unsubscribe;
        this.workerId = workerId;
        this.session = Session.getInstance(properties(config));
        this.from = new InternetAddress(config.from, true);
        String address = from.getAddress();
        this.messageIdDomain = address.substring(address.indexOf('@') + 1);
        this.executor = NamedThreads.pool("smtp", workerId, config.connections);
        this.pool = new ArrayBlockingQueue<>(config.connections);
        for (int i = 0; i < config.connections; i++) {
            pool.add(new Connection());
        }
    }

    static Properties properties(SmtpConfig config) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", config.host);
        p.put("mail.smtp.port", String.valueOf(config.port));
        String timeout = String.valueOf(config.timeout.toMilliseconds());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.starttls.enable", String.valueOf(config.startTls));
        p.put("mail.smtp.starttls.required", String.valueOf(config.startTls));
        p.put("mail.smtp.auth", String.valueOf(config.authenticates()));
        // Do not wait for the reply to QUIT when closing a connection.
        p.put("mail.smtp.quitwait", "false");
        return p;
    }

    @Override
    public CompletableFuture<SendResult> send(ChannelMessage m) {
        return CompletableFuture.supplyAsync(() -> deliver(m), executor);
    }

    private SendResult deliver(ChannelMessage m) {
        Optional<String> badTarget = EmailAddress.problem(m.target(), config.allowDomainLiterals);
        if (badTarget.isPresent()) {
            // Stored before the API checked as strictly, or allowed then and not now: no retry can fix it.
            return new SendResult.Permanent("target " + badTarget.get());
        }
        Connection connection = pool.poll();
        if (connection == null) {
            // Cannot happen: the pool holds as many connections as the executor has threads.
            return SendResult.transientFailure("no SMTP connection free");
        }
        boolean sending = false;
        try {
            MimeMessage message = build(m);
            Transport transport = connected(connection);
            sending = true;
            transport.sendMessage(message, message.getAllRecipients());
            return SendResult.SENT;
        } catch (MessagingException e) {
            SendResult result = classify(e, sending);
            if (result instanceof SendResult.Transient) {
                disconnect(connection); // the connection's state is unknown; start clean next time
            }
            return result;
        } finally {
            connection.lastUsed = System.nanoTime();
            pool.add(connection);
        }
    }

    private MimeMessage build(ChannelMessage m) throws MessagingException {
        String messageId = "<" + m.dedupKey() + "@" + messageIdDomain + ">";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(m.target(), true));
        message.setSubject(m.subject() == null ? "" : m.subject(), "UTF-8");
        message.setText(m.body(), "UTF-8", m.html() ? "html" : "plain");
        message.setHeader("X-Herald-Message-Id", Long.toString(m.id()));
        message.setHeader("X-Herald-Application", m.application());
        unsubscribe.addTo(message, m);
        return message;
    }

    private Transport connected(Connection connection) throws MessagingException {
        boolean stale = connection.transport != null && System.nanoTime() - connection.lastUsed > MAX_IDLE_NANOS;
        if (stale) {
            disconnect(connection);
        }
        if (connection.transport == null) {
            Transport transport = session.getTransport("smtp");
            if (config.authenticates()) {
                transport.connect(config.host, config.port, config.username, config.password);
            } else {
                transport.connect();
            }
            connection.transport = transport;
        }
        return connection.transport;
    }

    private void disconnect(Connection connection) {
        if (connection.transport != null) {
            try {
                connection.transport.close();
            } catch (MessagingException e) {
                LOG.debug("[{}] closing an SMTP connection failed", workerId, e);
            }
            connection.transport = null;
        }
    }

    /**
     * SMTP 4xx, timeouts and I/O failures are transient; 5xx replies and addresses Jakarta Mail refuses
     * are permanent, and those naming the mailbox as gone ({@link MailboxGone}) suppress the address.
     *
     * @param sending whether the failure came while the message was being sent, after connecting
     */
    static SendResult classify(MessagingException e, boolean sending) {
        int code = replyCode(e);
        String error = "SMTP: " + describe(e);
        if (code >= 500 || e instanceof AddressException) {
            return new SendResult.Permanent(error, MailboxGone.in(e));
        }
        boolean ambiguous = sending && (code == 0 || code == SERVICE_CLOSING);
        SendResult.Cause cause = timedOut(e) ? SendResult.Cause.TIMEOUT : code == 0 ? SendResult.Cause.CONNECTION_LOST : SendResult.Cause.OTHER;
        return new SendResult.Transient((ambiguous ? "message sent, answer lost: " : "") + error, null, cause, ambiguous);
    }

    /** Whether a socket timeout is among the causes (MessagingException chains its next exception as its cause). */
    private static boolean timedOut(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static int replyCode(Exception e) {
        for (Exception current = e; current != null; ) {
            if (current instanceof SMTPSendFailedException failed) {
                return failed.getReturnCode();
            }
            if (current instanceof SMTPAddressFailedException failed) {
                return failed.getReturnCode();
            }
            if (current instanceof IOException) {
                return 0;
            }
            current = current instanceof MessagingException me ? me.getNextException() : null;
        }
        return 0;
    }

    private static String describe(MessagingException e) {
        Exception next = e.getNextException();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().trim();
        return next == null || next == e ? message : message + " (" + next + ")";
    }

    @Override
    public void close() {
        executor.shutdown();
        Connection connection;
        while ((connection = pool.poll()) != null) {
            disconnect(connection);
        }
    }
}
