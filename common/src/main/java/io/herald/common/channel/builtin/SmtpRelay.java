package io.herald.common.channel.builtin;

import io.herald.common.channel.Pacer;
import io.herald.common.channel.SendResult;
import io.herald.common.config.SmtpRelayConfig;
import io.herald.common.loop.NamedThreads;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP relay of the email channel: its session, its pool of connections that stay open between
 * messages (one message at a time each, as many threads as connections), its pace, and whether it is
 * down. A relay that fails to connect (refused, timed out, a 4xx or 5xx greeting, a failed STARTTLS or
 * login) is down for {@code downFor}: nothing reached it, so the message goes to the next relay without
 * spending an attempt. Once {@code downFor} has passed the next message tries it again.
 */
final class SmtpRelay {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpRelay.class);
    /** Servers drop idle clients; a connection idle this long is reopened before use rather than failing a send. */
    private static final long MAX_IDLE_NANOS = 20_000_000_000L;

    private final SmtpRelayConfig config;
    private final Session session;
    private final URLName url;
    private final ExecutorService executor;
    private final BlockingQueue<Connection> pool;
    private final Pacer pacer;
    private final long downForNanos;
    private final LongSupplier nanoTime;
    private final String workerId;
    /** When the relay is back in rotation; meaningful while {@link #down}. */
    private volatile long downUntil;
    private volatile boolean down;
    private volatile String downBecause = "";
    private final AtomicLong handedOver = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /** One SMTP connection and when it was last used. */
    private static final class Connection {
        StagedTransport transport;
        long lastUsed;
    }

    SmtpRelay(SmtpRelayConfig config, Properties shared, Pacer pacer, LongSupplier nanoTime, String workerId) {
        this.config = config;
        this.session = Session.getInstance(properties(config, shared));
        this.url = new URLName("smtp", config.host, config.port, null, null, null);
        this.executor = NamedThreads.pool("smtp-" + config.name, workerId, config.connections);
        this.pool = new ArrayBlockingQueue<>(config.connections);
        for (int i = 0; i < config.connections; i++) {
            pool.add(new Connection());
        }
        this.pacer = pacer;
        this.downForNanos = config.downFor.toNanoseconds();
        this.nanoTime = nanoTime;
        this.workerId = workerId;
    }

    private static Properties properties(SmtpRelayConfig config, Properties shared) {
        Properties p = new Properties();
        p.putAll(shared);
        p.put("mail.smtp.host", config.host);
        p.put("mail.smtp.port", String.valueOf(config.port));
        p.put("mail.smtp.starttls.enable", String.valueOf(config.startTls));
        p.put("mail.smtp.starttls.required", String.valueOf(config.startTls));
        p.put("mail.smtp.auth", String.valueOf(config.authenticates()));
        return p;
    }

    String name() {
        return config.name;
    }

    int priority() {
        return config.priority;
    }

    int weight() {
        return config.weight;
    }

    Pacer pacer() {
        return pacer;
    }

    ExecutorService executor() {
        return executor;
    }

    /** Nanoseconds until the relay is back in rotation; 0 or less: it is in rotation. */
    long downFor() {
        return down ? downUntil - nanoTime.getAsLong() : 0;
    }

    boolean inRotation() {
        return downFor() <= 0;
    }

    String downBecause() {
        return downBecause;
    }

    long handedOver() {
        return handedOver.get();
    }

    long refusals() {
        return refusals.get();
    }

    /** A message to send, built when a relay first asks for it. */
    interface Letter {
        MimeMessage message() throws MessagingException;
    }

    /**
     * Sends the letter over one of the relay's connections, on one of its threads. Empty when the relay
     * could not be connected to: it is marked down and nothing was sent.
     */
    Optional<SendResult> deliver(Letter letter) {
        Connection connection = pool.poll();
        if (connection == null) {
            // Cannot happen: the pool holds as many connections as the executor has threads.
            return Optional.of(SendResult.transientFailure("no SMTP connection free on relay " + config.name));
        }
        try {
            MimeMessage message = letter.message();
            Try first = deliverOver(connection, message);
            // A kept connection had died (the relay restarted, or dropped it idle) before the message's end was
            // sent, so the relay has nothing: once more over a fresh connection, which marks the relay down if refused.
            Try last = first.deadConnection() ? deliverOver(connection, message) : first;
            return Optional.ofNullable(last.result());
        } catch (MessagingException e) {
            return Optional.of(EmailSender.classify(e, false)); // the message could not be built
        } finally {
            connection.lastUsed = nanoTime.getAsLong();
            pool.add(connection);
        }
    }

    /**
     * One try over one connection: its result, null when the relay refused the connection; {@code deadConnection}
     * when a kept connection failed without an SMTP reply before the message's end was sent.
     */
    private record Try(SendResult result, boolean deadConnection) {}

    private Try deliverOver(Connection connection, MimeMessage message) {
        boolean kept = isKept(connection);
        StagedTransport transport;
        try {
            transport = connected(connection);
        } catch (MessagingException e) {
            disconnect(connection);
            markDown(e);
            return new Try(null, false);
        }
        try {
            transport.sendMessage(message, message.getAllRecipients());
            handedOver.incrementAndGet();
            return new Try(SendResult.SENT, false);
        } catch (MessagingException e) {
            boolean endSent = transport.endSent();
            SendResult result = EmailSender.classify(e, endSent);
            if (result instanceof SendResult.Transient) {
                disconnect(connection); // the connection's state is unknown; start clean next time
            }
            return new Try(result, kept && !endSent && EmailSender.replyCode(e) <= 0);
        }
    }

    /** Whether the connection is open from an earlier message (and not so idle it is reopened first). */
    private boolean isKept(Connection connection) {
        return connection.transport != null && nanoTime.getAsLong() - connection.lastUsed <= MAX_IDLE_NANOS;
    }

    private StagedTransport connected(Connection connection) throws MessagingException {
        boolean stale = connection.transport != null && nanoTime.getAsLong() - connection.lastUsed > MAX_IDLE_NANOS;
        if (stale) {
            disconnect(connection);
        }
        if (connection.transport == null) {
            StagedTransport transport = new StagedTransport(session, url);
            if (config.authenticates()) {
                transport.connect(config.host, config.port, config.username, config.password);
            } else {
                transport.connect();
            }
            connection.transport = transport;
            if (down) {
                down = false;
                LOG.info("[{}] SMTP relay {} ({}:{}) takes connections again", workerId, config.name, config.host, config.port);
            }
        }
        return connection.transport;
    }

    private void markDown(MessagingException e) {
        refusals.incrementAndGet();
        downBecause = EmailSender.describe(e);
        downUntil = nanoTime.getAsLong() + downForNanos;
        if (!down) {
            down = true;
            LOG.warn("[{}] SMTP relay {} ({}:{}) is down for {} s: {}", workerId, config.name, config.host, config.port,
                    downForNanos / 1_000_000_000L, downBecause);
        }
    }

    private void disconnect(Connection connection) {
        if (connection.transport != null) {
            try {
                connection.transport.close();
            } catch (MessagingException e) {
                LOG.debug("[{}] closing a connection to SMTP relay {} failed", workerId, config.name, e);
            }
            connection.transport = null;
        }
    }

    void close() {
        executor.shutdown();
        Connection connection;
        while ((connection = pool.poll()) != null) {
            disconnect(connection);
        }
    }
}
