package io.herald.master.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.model.Channel;
import io.herald.common.suppression.SuppressionList;
import io.herald.common.testing.Rows;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SuppressionView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The suppression list in the leader's claim (critical messages too, expired entries not) and as the API lists it. */
class SuppressionsTest extends DispatchStoreFixture {
    private MessageStore messages;
    private SuppressionStore suppressions;

    @BeforeEach
    void stores() throws Exception {
        messages = new MessageStore(database, "master-a");
        suppressions = new SuppressionStore(database);
        store.acquireFence(1, "leader");
    }

    private void suppress(String application, Channel channel, String target, Duration ttl) throws Exception {
        suppressions.add(new SuppressionList.Entry(application, channel.wireName(), target, "550 5.1.1 no such user",
                SuppressionList.SMTP, 41L, ttl));
    }

    @Test
    void a_message_to_a_listed_target_is_suppressed_even_when_critical() throws Exception {
        suppress("app", Channel.EMAIL, "gone@example.org", null);
        long plain = submit("app", Channel.EMAIL, "gone@example.org", NewMessage.ANYONE);
        long critical = submit("app", Channel.EMAIL, "gone@example.org", new NewMessage.Audience(null, "security", true));
        long otherTarget = submit("app", Channel.EMAIL, "here@example.org", NewMessage.ANYONE);
        long otherChannel = submit("app", Channel.LOG, "gone@example.org", NewMessage.ANYONE);
        long otherApplication = submit("other", Channel.EMAIL, "gone@example.org", NewMessage.ANYONE);

        List<Long> claimed = store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds();

        assertThat(claimed).containsExactlyInAnyOrder(otherTarget, otherChannel, otherApplication);
        assertThat(status("app", plain)).isEqualTo("suppressed");
        assertThat(status("app", critical)).isEqualTo("suppressed");
        assertThat(messages.find("app", plain).orElseThrow().error()).startsWith("suppressed: its target is on the suppression list")
                .contains("smtp: 550 5.1.1 no such user");
        assertThat(Rows.events(database, plain)).containsExactly("queued@master-a", "suppressed@leader");
    }

    @Test
    void an_expired_entry_suppresses_nothing_and_the_reaper_deletes_it() throws Exception {
        suppress("app", Channel.EMAIL, "was-gone@example.org", Duration.ofMillis(1));
        suppress("app", Channel.EMAIL, "still-gone@example.org", Duration.ofDays(1));
        execute("UPDATE suppression SET expires_at = TIMESTAMPADD(SECOND, -1, NOW(3)) WHERE target = 'was-gone@example.org'");
        long toWasGone = submit("app", Channel.EMAIL, "was-gone@example.org", NewMessage.ANYONE);
        long toStillGone = submit("app", Channel.EMAIL, "still-gone@example.org", NewMessage.ANYONE);

        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(toWasGone);
        assertThat(status("app", toStillGone)).isEqualTo("suppressed");
        assertThat(suppressions.find("app", "email", "was-gone@example.org").orElseThrow().expired()).isTrue();

        store.reap(1, "leader", 100);
        assertThat(suppressions.find("app", "email", "was-gone@example.org")).isEmpty();
        assertThat(suppressions.find("app", "email", "still-gone@example.org")).isPresent();
    }

    @Test
    void a_removed_entry_lets_the_next_message_through() throws Exception {
        suppress("app", Channel.WEBHOOK, "https://example.org/hook", null);
        assertThat(suppressions.remove("app", "webhook", "https://example.org/hook")).isTrue();
        assertThat(suppressions.remove("app", "webhook", "https://example.org/hook")).isFalse();

        long id = submit("app", Channel.WEBHOOK, "https://example.org/hook", NewMessage.ANYONE);
        assertThat(store.claim(1, "leader", 100, Duration.ofSeconds(30)).messageIds()).containsExactly(id);
    }

    @Test
    void the_list_pages_through_every_entry_of_its_application_once() throws Exception {
        for (int i = 0; i < 25; i++) {
            suppress("app", i % 2 == 0 ? Channel.EMAIL : Channel.WEBHOOK, i % 2 == 0 ? "r" + i + "@example.org" : "https://example.org/" + i, null);
        }
        suppress("other", Channel.EMAIL, "r0@example.org", null);
        List<String> seen = new ArrayList<>();
        SuppressionStore.Cursor cursor = null;
        int pages = 0;
        do {
            SuppressionStore.Page page = suppressions.list("app", null, cursor, 10);
            page.entries().stream().map(SuppressionView::target).forEach(seen::add);
            cursor = page.next();
            pages++;
        } while (cursor != null);

        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
        assertThat(suppressions.list("app", "email", null, 100).entries()).hasSize(13).allMatch(e -> e.channel().equals("email"));
        SuppressionView one = suppressions.find("app", "email", "r0@example.org").orElseThrow();
        assertThat(one.source()).isEqualTo("smtp");
        assertThat(one.messageId()).isEqualTo(41L);
        assertThat(one.expiresAt()).isNull();
    }
}
