package io.herald.common.template;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a template's body is rendered and sent. The wire and database name is the lower-case constant. */
public enum TemplateFormat {
    /** Values go in as they are. */
    TEXT,
    /** Values are HTML-escaped, and an email goes out as text/html. For the email channel only. */
    HTML,
    /**
     * Values are escaped for a JSON string, and the body, a JSON array, goes out as Slack's {@code blocks}
     * (the subject as its {@code text}). For the slack channel only.
     */
    BLOCKS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TemplateFormat> fromWire(String value) {
        return Arrays.stream(values()).filter(f -> f.wireName().equals(value)).findFirst();
    }
}
