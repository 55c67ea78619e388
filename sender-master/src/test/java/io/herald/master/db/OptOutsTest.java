package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.testing.Rows;
import io.herald.master.api.NewMessage;
import io.herald.master.api.OptOut;
import io.herald.master.api.Preferences;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opt-outs in the leader's claim: by all, channel and category; critical bypasses them; other applications untouched. */
class OptOutsTest extends DispatchStoreFixture {
    private MessageStore messages;
    private Recipients recipients;

    @BeforeEach
    void stores() throws Exception {
        messages = new MessageStore(database, "master-a");
        recipients = new Recipients(database);
        store.acquireFence(1, "leader");
    }

    @Test
    void a_message_its_recipient_opted_out_of_is_not_dispatched_unless_critical() throws Exception {
        recipients.set("app", List.of(
                new Preferences("ana@example.org", new OptOut(true, List.of(), List.of())),
                new Preferences("bob", new OptOut(false, List.of("email"), List.of())),
                new Preferences("cy", new OptOut(false, List.of(), List.of("marketing")))));
        long toAna = submit("app", Channel.EMAIL, "ana@example.org", NewMessage.ANYONE);
        long toAnaCritical = submit("app", Channel.EMAIL, "ana@example.org", new NewMessage.Audience(null, "security", true));
        long bobByEmail = submit("app", Channel.EMAIL, "bob@example.org", new NewMessage.Audience("bob", null, false));
        long bobByLog = submit("app", Channel.LOG, "ops", new NewMessage.Audience("bob", null, false));
        long cyMarketing = submit("app", Channel.LOG, "ops", new NewMessage.Audience("cy", "marketing", false));
        long cyBilling = submit("app", Channel.LOG, "ops", new NewMessage.Audience("cy", "billing", false));
        long otherApplication = submit("other", Channel.EMAIL, "ana@example.org", NewMessage.ANYONE);

        List<Long> claimed = store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds();

        assertThat(claimed).containsExactlyInAnyOrder(toAnaCritical, bobByLog, cyBilling, otherApplication);
        assertThat(status("app", toAna)).isEqualTo("opted_out");
        assertThat(status("app", bobByEmail)).isEqualTo("opted_out");
        assertThat(status("app", cyMarketing)).isEqualTo("opted_out");
        assertThat(messages.find("app", toAna).orElseThrow().error()).contains("opted out of all messages");
        assertThat(messages.find("app", bobByEmail).orElseThrow().error()).contains("channel 'email'");
        assertThat(messages.find("app", cyMarketing).orElseThrow().error()).contains("category 'marketing'");
        assertThat(Rows.events(database, toAna)).containsExactly("queued@master-a", "opted_out@leader");
    }

    @Test
    void clearing_the_preferences_lets_the_next_messages_through() throws Exception {
        recipients.set("app", List.of(new Preferences("ana@example.org", new OptOut(true, List.of("email"), List.of("news")))));
        assertThat(recipients.get("app", "ana@example.org")).isEqualTo(new OptOut(true, List.of("email"), List.of("news")));
        recipients.set("app", List.of(new Preferences("ana@example.org", OptOut.NONE)));
        assertThat(recipients.get("app", "ana@example.org")).isEqualTo(OptOut.NONE);

        long toAna = submit("app", Channel.EMAIL, "ana@example.org", NewMessage.ANYONE);
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(toAna);
    }

    @Test
    void an_opted_out_message_uses_no_quota() throws Exception {
        execute("INSERT INTO application_policy (application, quota_hard, quota_window_ms) VALUES ('app', 1, 60000)");
        recipients.set("app", List.of(new Preferences("ana@example.org", new OptOut(true, List.of(), List.of()))));
        long toAna = submit("app", Channel.EMAIL, "ana@example.org", NewMessage.ANYONE);
        long toBea = submit("app", Channel.EMAIL, "bea@example.org", NewMessage.ANYONE);

        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(toBea);
        assertThat(status("app", toAna)).isEqualTo("opted_out");
    }
}
