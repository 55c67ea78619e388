package io.herald.worker.core;

import io.herald.common.template.TemplateFormat;

/**
 * The template a message names, as read when the message was reserved: its name, the message's context
 * (a JSON object as text) and the template's sources. The sources are null when the template has been
 * deleted since the message was accepted.
 */
public record TemplateRef(String name, String context, String subject, String body, TemplateFormat format) {
    public boolean exists() {
        return body != null;
    }
}
