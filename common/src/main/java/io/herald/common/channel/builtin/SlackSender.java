package io.herald.common.channel.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.HttpAnswer;
import io.herald.common.channel.HttpPoster;
import io.herald.common.channel.SendResult;
import io.herald.common.template.TemplateFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Posts a message to a Slack incoming webhook: {@code {"text": ...}}, or, for a {@code blocks} template,
 * {@code {"text": subject, "blocks": [...]}} with the rendered body as the blocks (Slack shows the text in
 * notifications). Slack's answers: 2xx sent; 429 transient, honouring Retry-After, and the URL is held off
 * for as long; other 4xx ({@code invalid_payload}, {@code no_service}, {@code channel_is_archived} ...)
 * permanent; 5xx transient. Slack takes no idempotency key, so an ambiguous attempt retried may post twice.
 */
record SlackSender(HttpPoster http, ObjectMapper json, PacedPost paced) implements ChannelSender {
    static final HttpAnswer.Judge ANSWERS = HttpAnswer.usual("Slack");

    @Override
    public CompletableFuture<SendResult> send(ChannelMessage m) {
        byte[] body;
        try {
            body = payload(m, json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return CompletableFuture.completedFuture(new SendResult.Permanent("Slack message: " + why));
        }
        return paced.post(m.target(), () -> http.post(m.target(), Map.of(), "application/json", body, ANSWERS));
    }

    static byte[] payload(ChannelMessage m, ObjectMapper json) throws JsonProcessingException {
        ObjectNode root = json.createObjectNode();
        if (m.format() == TemplateFormat.BLOCKS) {
            JsonNode blocks = json.readTree(m.body());
            if (blocks == null || !blocks.isArray()) {
                throw new IllegalArgumentException("a blocks template must render to a JSON array");
            }
            root.put("text", m.subject() == null ? "" : m.subject());
            root.set("blocks", blocks);
        } else {
            root.put("text", m.subject() == null || m.subject().isEmpty() ? m.body() : m.subject() + "\n" + m.body());
        }
        return json.writeValueAsBytes(root);
    }

    @Override
    public void close() {
        paced.close();
    }
}
