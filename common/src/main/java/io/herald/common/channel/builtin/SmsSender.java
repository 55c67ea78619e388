package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.HttpAnswer;
import io.herald.common.channel.HttpPoster;
import io.herald.common.channel.SendResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a text message through a Twilio-compatible Messages API: a form-encoded POST of {@code To},
 * {@code From} and {@code Body} to {@code {baseUrl}/2010-04-01/Accounts/{accountSid}/Messages.json} with
 * basic authentication, and the message's dedup key as {@code I-Twilio-Idempotency-Token} so that a
 * retry after an ambiguous attempt is dropped by the provider. The body is the message's body (its
 * subject is not sent). Answers: 2xx sent; 429 transient, honouring Retry-After; other 4xx (a bad
 * number, 21211; an unsubscribed recipient, 21610; bad credentials, 20003 ...) permanent; 5xx transient.
 */
record SmsSender(SmsSettings settings, HttpPoster http, PacedPost paced) implements ChannelSender {
    static final HttpAnswer.Judge ANSWERS = HttpAnswer.usual("Twilio");
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    @Override
    public CompletableFuture<SendResult> send(ChannelMessage m) {
        if (!SmsChannel.E164.matcher(m.target()).matches()) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("target must be a phone number in E.164 form"));
        }
        int chars = m.body().codePointCount(0, m.body().length());
        if (chars > settings.maxBodyChars) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("SMS body is " + chars + " characters; at most "
                    + settings.maxBodyChars + " are sent (channels.sms.maxBodyChars)"));
        }
        byte[] body = form(m.target(), settings.from, m.body());
        // Built per message rather than kept: a text message's POST dwarfs them, and the record holds no secret to print.
        Map<String, String> headers = Map.of("Authorization", settings.authorization(), "I-Twilio-Idempotency-Token", m.dedupKey());
        String url = settings.messagesUrl();
        return paced.post(settings.from, () -> http.post(url, headers, CONTENT_TYPE, body, ANSWERS));
    }

    static byte[] form(String to, String from, String body) {
        return ("To=" + encode(to) + "&From=" + encode(from) + "&Body=" + encode(body)).getBytes(StandardCharsets.US_ASCII);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        paced.close();
    }
}
