package io.herald.common.channel.builtin;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.Pacer;
import io.herald.common.channel.SendResult;
import io.herald.common.config.SmtpConfig;
import io.herald.common.config.SmtpRelayConfig;
import io.herald.common.model.EmailAddress;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * The {@code email} channel: SMTP through Jakarta Mail (Eclipse Angus), over one or several relays
 * ({@code smtp.relays}, or the single {@code smtp.host}), each with its own pool of connections that stay
 * open between messages ({@link SmtpRelay}).
 *
 * <p>Relays are tried by priority, lowest first; among relays of one priority, in a random order weighted
 * by their weights, so each takes its share. A relay is passed over while it is down (it refused a
 * connection lately), and when its pace has no slot within {@code smtp.maxPaceWait}. A relay that fails to
 * connect is marked down and the next is tried at once: nothing was sent, so no attempt is spent. When no
 * relay can take the message it is deferred, again without spending an attempt, until the first relay is
 * due back.
 *
 * <p>The Message-ID is derived from the message's dedup key, so a retry carries the same id and a
 * receiver can drop the repeat; {@code X-Herald-Message-Id} carries Herald's id. SMTP 4xx replies,
 * timeouts and dropped connections after connecting are transient; 5xx replies are permanent. A timeout,
 * a dropped connection or a 421 (the server closing the channel) after the end of the message's data was
 * sent is ambiguous: the server may have taken it. A kept connection found dead before that is replaced
 * at once, without spending an attempt.
 */
public final class EmailSender implements ChannelSender {
    /** SMTP 421: the server is closing the channel, possibly after it took the message. */
    private static final int SERVICE_CLOSING = 421;
    /** The health check that names every relay's state; unhealthy only when no relay is in rotation. */
    public static final String HEALTH_CHECK = "smtp-relays";

    private final SmtpConfig config;
    private final Session session;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final List<SmtpRelay> relays;
    private final Duration maxPaceWait;
    private final LongSupplier nanoTime;
    private final UnsubscribeLinks unsubscribe;
    private final List<Collector> metrics;
    private final PrometheusRegistry registry;
    private final HealthCheckRegistry healthChecks;

    public EmailSender(SmtpConfig config, UnsubscribeLinks unsubscribe, ChannelServices services) throws MessagingException {
        this(config, unsubscribe, services, System::nanoTime);
    }

    EmailSender(SmtpConfig config, UnsubscribeLinks unsubscribe, ChannelServices services, LongSupplier nanoTime) throws MessagingException {
        this.config = config;
        this.unsubscribe = unsubscribe;
        this.nanoTime = nanoTime;
        Properties shared = properties(config);
        this.session = Session.getInstance(shared);
        this.from = new InternetAddress(config.from, true);
        String address = from.getAddress();
        this.messageIdDomain = address.substring(address.indexOf('@') + 1);
        this.maxPaceWait = Duration.ofMillis(config.maxPaceWait.toMilliseconds());
        List<SmtpRelay> opened = new ArrayList<>();
        for (SmtpRelayConfig relay : config.effectiveRelays()) {
            Pacer pacer = relay.ratePerSecond > 0 ? services.pacer("smtp:" + relay.name, relay.ratePerSecond) : Pacer.unpaced();
            opened.add(new SmtpRelay(relay, shared, pacer, nanoTime, services.workerId()));
        }
        this.relays = List.copyOf(opened);
        this.registry = services.prometheus();
        this.metrics = registerMetrics(registry);
        this.healthChecks = services.healthChecks();
        healthChecks.register(HEALTH_CHECK, new RelaysHealth());
    }

    /** What every relay's session shares: timeouts, and not waiting for the answer to QUIT. */
    private static Properties properties(SmtpConfig config) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        String timeout = String.valueOf(config.timeout.toMilliseconds());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.quitwait", "false");
        return p;
    }

    @Override
    public CompletableFuture<SendResult> send(ChannelMessage m) {
        Optional<String> badTarget = EmailAddress.problem(m.target(), config.allowDomainLiterals);
        if (badTarget.isPresent()) {
            // Stored before the API checked as strictly, or allowed then and not now: no retry can fix it.
            return CompletableFuture.completedFuture(new SendResult.Permanent("target " + badTarget.get()));
        }
        return new Failover(m, order(ThreadLocalRandom.current())).next();
    }

    /**
     * The relays in the order one message tries them: by priority, and within a priority by a weighted random
     * draw (each relay's key is {@code u^(1/weight)}, largest first), so over many messages each relay of a
     * priority takes a share proportional to its weight.
     */
    List<SmtpRelay> order(java.util.random.RandomGenerator random) {
        if (relays.size() == 1) {
            return relays;
        }
        record Keyed(SmtpRelay relay, double key) {}
        return relays.stream().map(r -> new Keyed(r, Math.pow(random.nextDouble(), 1.0 / r.weight())))
                .sorted(Comparator.comparingInt((Keyed k) -> k.relay().priority()).thenComparing(Keyed::key, Comparator.reverseOrder()))
                .map(Keyed::relay).toList();
    }

    /** One message's walk down its relay order: each relay that cannot take it is noted and passed over. */
    private final class Failover implements SmtpRelay.Letter {
        private final ChannelMessage m;
        private final List<SmtpRelay> order;
        private final List<String> passedOver = new ArrayList<>();
        private int next;
        private long soonestNanos = Long.MAX_VALUE;
        /** Built by the first relay's thread, off the caller's; reused by the next relays. */
        private MimeMessage built;

        Failover(ChannelMessage m, List<SmtpRelay> order) {
            this.m = m;
            this.order = order;
        }

        @Override
        public MimeMessage message() throws MessagingException {
            if (built == null) {
                built = build(m);
            }
            return built;
        }

        CompletableFuture<SendResult> next() {
            while (next < order.size()) {
                SmtpRelay relay = order.get(next++);
                long downFor = relay.downFor();
                if (downFor > 0) {
                    passOver(relay.name() + " is down (" + relay.downBecause() + ")", downFor);
                    continue;
                }
                Pacer.Slot slot = relay.pacer().reserve(relay.name(), maxPaceWait);
                if (!slot.reserved()) {
                    passOver(relay.name() + " is paced, its next slot " + slot.delay().toMillis() + " ms away", slot.delay().toNanos());
                    continue;
                }
                Executor executor = slot.delay().isZero() ? relay.executor()
                        : CompletableFuture.delayedExecutor(slot.delay().toNanos(), TimeUnit.NANOSECONDS, relay.executor());
                try {
                    return CompletableFuture.supplyAsync(() -> relay.deliver(this), executor)
                            .thenCompose(result -> result.map(CompletableFuture::completedFuture).orElseGet(() -> {
                                passOver(relay.name() + " refused the connection (" + relay.downBecause() + ")", relay.downFor());
                                return next();
                            }));
                } catch (RejectedExecutionException e) {
                    return CompletableFuture.completedFuture(SendResult.transientFailure("the worker is closing the email channel"));
                }
            }
            // Nothing was sent anywhere: back to the queue without spending an attempt, due when a relay is.
            return CompletableFuture.completedFuture(new SendResult.Deferred("no SMTP relay can take it: " + String.join("; ", passedOver),
                    Duration.ofNanos(Math.max(1, soonestNanos))));
        }

        private void passOver(String why, long backInNanos) {
            passedOver.add(why);
            soonestNanos = Math.min(soonestNanos, backInNanos);
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

    private List<Collector> registerMetrics(PrometheusRegistry registry) {
        return List.of(
                GaugeWithCallback.builder().name("herald_smtp_relay_up")
                        .help("1 while the SMTP relay is in rotation, 0 while it is down after refusing a connection")
                        .labelNames("relay").callback(cb -> relays.forEach(r -> cb.call(r.inRotation() ? 1 : 0, r.name()))).register(registry),
                CounterWithCallback.builder().name("herald_smtp_relay_messages")
                        .help("Messages the SMTP relay took").labelNames("relay")
                        .callback(cb -> relays.forEach(r -> cb.call(r.handedOver(), r.name()))).register(registry),
                CounterWithCallback.builder().name("herald_smtp_relay_refusals")
                        .help("Connections the SMTP relay refused, each marking it down").labelNames("relay")
                        .callback(cb -> relays.forEach(r -> cb.call(r.refusals(), r.name()))).register(registry));
    }

    /** Healthy while any relay is in rotation; the message names each relay's state. */
    private final class RelaysHealth extends HealthCheck {
        @Override
        protected Result check() {
            String states = relays.stream().map(r -> r.inRotation() ? r.name() + " up"
                    : r.name() + " down for " + Math.max(1, r.downFor() / 1_000_000_000L) + " s more (" + r.downBecause() + ")")
                    .collect(Collectors.joining("; "));
            return relays.stream().anyMatch(SmtpRelay::inRotation) ? Result.healthy(states) : Result.unhealthy(states);
        }
    }

    /**
     * SMTP 4xx, timeouts and I/O failures are transient; 5xx replies and addresses Jakarta Mail refuses
     * are permanent, and those naming the mailbox as gone ({@link MailboxGone}) suppress the address.
     *
     * @param sending whether the failure came after the message's end of data was sent, when the relay may have
     *     taken it ({@link StagedTransport#endSent})
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

    static int replyCode(Exception e) {
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

    static String describe(MessagingException e) {
        Exception next = e.getNextException();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().trim();
        return next == null || next == e ? message : message + " (" + next + ")";
    }

    @Override
    public void close() {
        relays.forEach(SmtpRelay::close);
        metrics.forEach(registry::unregister);
        healthChecks.unregister(HEALTH_CHECK);
    }
}
