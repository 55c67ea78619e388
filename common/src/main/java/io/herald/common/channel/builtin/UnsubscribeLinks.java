package io.herald.common.channel.builtin;

import io.herald.common.config.UnsubscribeConfig;
import io.herald.common.unsubscribe.UnsubscribeToken;
import io.herald.common.channel.ChannelMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The one-click unsubscribe headers of RFC 8058 on every email: {@code List-Unsubscribe} with the masters'
 * HTTPS link (and a mailto, if configured) and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}. The
 * link's token is signed over the application, the channel, the recipient and the message's category, so the
 * masters opt out exactly that recipient of that category (of everything when the message has none).
 */
public final class UnsubscribeLinks {
    private final UnsubscribeToken tokens;
    private final String base;
    private final String mailto;

    public UnsubscribeLinks(UnsubscribeConfig config) {
        this.tokens = new UnsubscribeToken(config.key);
        this.base = config.base();
        this.mailto = config.mailto;
    }

    /** The link for {@code m}: {@code <baseUrl>/v1/unsubscribe/<token>}. */
    public String link(ChannelMessage m) {
        return base + "/v1/unsubscribe/" + tokens.sign(new UnsubscribeToken.Claims(m.application(), m.channel().wireName(),
                m.recipient(), m.category()));
    }

    void addTo(MimeMessage message, ChannelMessage m) throws MessagingException {
        String header = "<" + link(m) + ">" + (mailto.isEmpty() ? "" : ", <mailto:" + mailto + "?subject=unsubscribe>");
        message.setHeader("List-Unsubscribe", header);
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
}
