package io.herald.common.channel.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.SendResult;
import io.herald.common.config.SmtpConfig;
import io.herald.common.config.SmtpRelayConfig;
import io.herald.common.config.UnsubscribeConfig;
import io.herald.common.template.TemplateFormat;
import io.herald.common.testing.PrometheusSamples;
import io.herald.worker.channel.WorkerServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The email channel over several SMTP relays: two local GreenMail servers, stopped and started under it. */
class EmailRelaysTest {
    private static final Duration DOWN_FOR = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<GreenMail> servers = new ArrayList<>();
    private final WorkerServices services = ProviderFixture.services(null);
    private EmailSender sender;

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        servers.forEach(GreenMail::stop);
    }

    @Test
    void a_relay_that_stops_is_marked_down_and_its_messages_go_to_the_next_without_spending_an_attempt() throws Exception {
        int primaryPort = freePort();
        int backupPort = freePort();
        GreenMail primary = start(primaryPort);
        GreenMail backup = start(backupPort);
        sender = open(relay("primary", primaryPort, 0, 1), relay("backup", backupPort, 1, 1));

        for (int i = 0; i < 5; i++) {
            assertThat(send(i)).isEqualTo(SendResult.SENT);
        }
        assertThat(primary.getReceivedMessages()).hasSize(5);
        assertThat(backup.getReceivedMessages()).isEmpty();
        assertThat(up("primary")).isEqualTo(1);

        primary.stop(); // mid-run: the primary's kept connections die with it
        for (int i = 5; i < 10; i++) {
            assertThat(send(i)).as("sent by the backup, not a retry").isEqualTo(SendResult.SENT);
        }
        assertThat(backup.getReceivedMessages()).hasSize(5);
        assertThat(up("primary")).isZero();
        assertThat(up("backup")).isEqualTo(1);
        assertThat(PrometheusSamples.sum(services.prometheus(), "herald_smtp_relay_refusals", "relay", "primary")).isEqualTo(1);
        assertThat(PrometheusSamples.sum(services.prometheus(), "herald_smtp_relay_messages", "relay", "backup")).isEqualTo(5);
        HealthCheck.Result health = health();
        assertThat(health.isHealthy()).isTrue();
        assertThat(health.getMessage()).startsWith("primary down for 30 s more (").endsWith("; backup up");

        backup.stop();
        SendResult none = send(10);
        assertThat(none).isInstanceOf(SendResult.Deferred.class);
        SendResult.Deferred deferred = (SendResult.Deferred) none;
        assertThat(deferred.reason()).startsWith("no SMTP relay can take it: primary is down (").contains("; backup refused the connection (");
        assertThat(deferred.delay()).isEqualTo(DOWN_FOR);
        assertThat(health().isHealthy()).as("no relay in rotation").isFalse();

        GreenMail restarted = start(primaryPort);
        now.addAndGet(DOWN_FOR.toNanos());
        assertThat(send(11)).as("the primary is tried again once its time down has passed").isEqualTo(SendResult.SENT);
        assertThat(restarted.getReceivedMessages()).hasSize(1);
        assertThat(up("primary")).isEqualTo(1);
    }

    @Test
    void relays_of_one_priority_share_the_messages_by_weight_and_a_lower_priority_comes_after_them() throws Exception {
        sender = open(relay("heavy", 1, 0, 3), relay("light", 2, 0, 1), relay("spare", 3, 5, 100));
        Random random = new Random(7);
        int heavyFirst = 0;
        for (int i = 0; i < 10_000; i++) {
            List<String> order = sender.order(random).stream().map(SmtpRelay::name).toList();
            assertThat(order.get(2)).isEqualTo("spare");
            heavyFirst += order.get(0).equals("heavy") ? 1 : 0;
        }
        assertThat(heavyFirst).isBetween(7_200, 7_800); // 3 to 1: three quarters
    }

    @Test
    void a_paced_relay_passes_a_message_on_and_a_paced_relay_alone_defers_it() throws Exception {
        int primaryPort = freePort();
        int backupPort = freePort();
        GreenMail primary = start(primaryPort);
        GreenMail backup = start(backupPort);
        SmtpRelayConfig slow = relay("slow", primaryPort, 0, 1);
        slow.ratePerSecond = 0.01; // one message per 100 s
        sender = open(slow, relay("backup", backupPort, 1, 1));

        assertThat(send(1)).isEqualTo(SendResult.SENT);
        assertThat(send(2)).isEqualTo(SendResult.SENT);
        assertThat(primary.getReceivedMessages()).hasSize(1);
        assertThat(backup.getReceivedMessages()).hasSize(1);
        sender.close();

        SmtpRelayConfig alone = relay("alone", backupPort, 0, 1);
        alone.ratePerSecond = 0.01;
        sender = open(alone);
        assertThat(send(3)).isEqualTo(SendResult.SENT);
        SendResult paced = send(4);
        assertThat(paced).isInstanceOf(SendResult.Deferred.class);
        assertThat(((SendResult.Deferred) paced).reason()).startsWith("no SMTP relay can take it: alone is paced, its next slot");
        assertThat(((SendResult.Deferred) paced).delay()).isGreaterThan(Duration.ofSeconds(90));
    }

    @Test
    void without_relays_the_single_smtp_host_is_the_one_relay() throws Exception {
        int port = freePort();
        GreenMail only = start(port);
        SmtpConfig config = new SmtpConfig();
        config.host = "127.0.0.1";
        config.port = port;
        sender = new EmailSender(config, links(), services, now::get);

        assertThat(send(1)).isEqualTo(SendResult.SENT);
        assertThat(only.getReceivedMessages()).hasSize(1);
        assertThat(up(SmtpConfig.SINGLE_RELAY)).isEqualTo(1);
        assertThat(health().getMessage()).isEqualTo("smtp up");
    }

    private EmailSender open(SmtpRelayConfig... relays) throws Exception {
        SmtpConfig config = new SmtpConfig();
        config.relays = List.of(relays);
        config.maxPaceWait = io.dropwizard.util.Duration.milliseconds(0);
        config.timeout = io.dropwizard.util.Duration.seconds(5);
        return new EmailSender(config, links(), services, now::get);
    }

    private static SmtpRelayConfig relay(String name, int port, int priority, int weight) {
        SmtpRelayConfig relay = new SmtpRelayConfig();
        relay.name = name;
        relay.host = "127.0.0.1";
        relay.port = port;
        relay.priority = priority;
        relay.weight = weight;
        relay.connections = 2;
        relay.downFor = io.dropwizard.util.Duration.seconds(DOWN_FOR.toSeconds());
        return relay;
    }

    private static UnsubscribeLinks links() {
        UnsubscribeConfig unsubscribe = new UnsubscribeConfig();
        unsubscribe.key = "k".repeat(32);
        return new UnsubscribeLinks(unsubscribe);
    }

    private SendResult send(int i) throws Exception {
        ChannelMessage m = ProviderFixture.message("email", "user" + i + "@example.com", "subject " + i, "body " + i, TemplateFormat.TEXT);
        return sender.send(m).get(30, TimeUnit.SECONDS);
    }

    private double up(String relay) {
        return PrometheusSamples.sum(services.prometheus(), "herald_smtp_relay_up", "relay", relay);
    }

    private HealthCheck.Result health() {
        return services.healthChecks().runHealthCheck(EmailSender.HEALTH_CHECK);
    }

    private GreenMail start(int port) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        servers.add(server);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
