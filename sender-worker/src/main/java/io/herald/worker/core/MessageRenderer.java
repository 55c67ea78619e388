package io.herald.worker.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.template.TemplateEngine;
import io.herald.common.template.TemplateException;
import io.herald.common.template.TemplateFormat;
import java.io.IOException;
import java.util.Map;

/**
 * Renders a templated message just before it is sent, with the template as it is at that attempt.
 * Rendering here rather than at submission keeps the API fast and lets a fixed template heal messages
 * still waiting to be retried; a failure fails the message with the engine's error.
 */
public final class MessageRenderer {
    private static final TypeReference<Map<String, Object>> CONTEXT = new TypeReference<>() {};

    private final ObjectMapper json;

    public MessageRenderer(ObjectMapper json) {
        this.json = json;
    }

    /** The message ready to send: {@code m} itself if it names no template. */
    public OutgoingMessage render(OutgoingMessage m) throws TemplateException {
        TemplateRef t = m.template();
        if (t == null) {
            return m;
        }
        String which = "template '" + t.name() + "' (" + m.channel().wireName() + ")";
        if (!t.exists()) {
            throw new TemplateException(which + " no longer exists");
        }
        Map<String, Object> context = context(t, which);
        String subject = t.subject() == null ? null : part(which + " subject", t.subject(), TemplateFormat.TEXT, context);
        String body = part(which + " body", t.body(), t.format(), context);
        return m.rendered(subject, body, t.format() == TemplateFormat.HTML);
    }

    private Map<String, Object> context(TemplateRef t, String which) throws TemplateException {
        try {
            return json.readValue(t.context(), CONTEXT);
        } catch (IOException e) {
            throw new TemplateException(which + ": the stored context is not a JSON object");
        }
    }

    private static String part(String which, String source, TemplateFormat format, Map<String, Object> context) throws TemplateException {
        try {
            return TemplateEngine.render(source, format, context);
        } catch (TemplateException e) {
            throw new TemplateException(which + ": " + e.getMessage());
        }
    }
}
