package io.herald.common.channel.builtin;

import io.herald.common.template.TemplateFormat;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.common.config.SmtpConfig;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.worker.core.OutgoingMessage;
import io.herald.common.channel.SendResult;
import jakarta.mail.internet.AddressException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** What the API now refuses is, if it was stored before, a permanent failure at send time; log lines stay single. */
class StrictTargetsTest {
    private static OutgoingMessage message(Channel channel, String target, String body) {
        return new OutgoingMessage(3, "app", channel, target, "s", body, Priority.MEDIUM, Instant.EPOCH, 1, 0, null, TemplateFormat.TEXT, null, null, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\r\n\tRCPT TO:<x@evil.example>\"@example.com", "a@[127.0.0.1]", "bob", "a\u0000@example.com"})
    void an_email_target_no_relay_should_see_is_a_permanent_failure_without_connecting(String target) throws Exception {
        SmtpConfig config = new SmtpConfig();
        config.port = 1; // nothing listens: a connection attempt would defer the message
        io.herald.common.config.UnsubscribeConfig unsubscribe = new io.herald.common.config.UnsubscribeConfig();
        unsubscribe.key = "k".repeat(32);
        EmailSender sender = new EmailSender(config, new UnsubscribeLinks(unsubscribe), ProviderFixture.services(null));
        try {
            SendResult result = sender.send(message(Channel.EMAIL, target, "b")).get(10, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(SendResult.Permanent.class);
            assertThat(((SendResult.Permanent) result).error()).startsWith("target ");
        } finally {
            sender.close();
        }
    }

    @Test
    void an_address_jakarta_mail_refuses_is_permanent() {
        assertThat(EmailSender.classify(new AddressException("Illegal character in local name"), false)).isInstanceOf(SendResult.Permanent.class);
    }

    @Test
    void a_log_delivery_escapes_control_characters_so_no_line_can_be_forged() throws Exception {
        Logger deliveries = (Logger) LoggerFactory.getLogger("herald.delivery");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        deliveries.addAppender(appender);
        try {
            new LogSender("w1").send(message(Channel.LOG, "ops\r\nforged", "line1\n12:00:00.000 INFO forged")).get();
            String line = appender.list.get(0).getFormattedMessage();
            assertThat(line).doesNotContain("\n", "\r").contains("ops\\r\\nforged", "line1\\n12:00:00.000 INFO forged");
        } finally {
            deliveries.detachAppender(appender);
        }
    }
}
