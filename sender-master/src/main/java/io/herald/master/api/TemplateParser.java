package io.herald.master.api;

import static io.herald.master.api.JsonInput.checkBytes;
import static io.herald.master.api.JsonInput.checkLength;
import static io.herald.master.api.JsonInput.isObject;
import static io.herald.master.api.JsonInput.rejectUnknown;
import static io.herald.master.api.JsonInput.text;
import static io.herald.master.api.JsonInput.throwIfAny;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.model.Channel;
import io.herald.common.template.TemplateEngine;
import io.herald.common.template.TemplateException;
import io.herald.common.template.TemplateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns {@code PUT /v1/templates/{channel}/{name}} into a {@link NewTemplate}. A template that does not
 * compile is refused here, with the engine's error, so that only a missing variable can fail at send time.
 */
public final class TemplateParser {
    public static final int MAX_SUBJECT_CHARS = 1_024;
    private static final Set<String> FIELDS = Set.of("subject", "body", "format");

    private final JsonInput input;
    private final TemplateEngine engine;

    private static final Channel SLACK = new Channel("slack");

    private final Targets targets;

    public TemplateParser(ObjectMapper json, TemplateEngine engine, Targets targets) {
        this.targets = targets;
        this.input = new JsonInput(json);
        this.engine = engine;
    }

    public NewTemplate parse(String channelName, String name, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        Channel channel = targets.channel(channelName, "channel", errors);
        if (!Names.isName(name, MessageParser.MAX_TEMPLATE_NAME_CHARS)) {
            errors.add(new FieldError("name", Names.rule(MessageParser.MAX_TEMPLATE_NAME_CHARS)));
        }
        JsonNode root = input.readTree(body);
        if (!isObject(root, "", errors)) {
            throwIfAny(errors);
        }
        rejectUnknown(root, "", FIELDS, errors);
        String subject = text(root, "", "subject", Channel.EMAIL.equals(channel), errors);
        String source = text(root, "", "body", true, errors);
        TemplateFormat format = format(text(root, "", "format", false, errors), channel, errors);
        checkLength(subject, MAX_SUBJECT_CHARS, "subject", errors);
        checkBytes(source, MessageParser.MAX_BODY_BYTES, "body", errors);
        compiles(subject, "subject", errors);
        compiles(source, "body", errors);
        throwIfAny(errors);
        return new NewTemplate(channel, name, subject, source, format);
    }

    private static TemplateFormat format(String value, Channel channel, List<FieldError> errors) {
        if (value == null) {
            return TemplateFormat.TEXT;
        }
        TemplateFormat format = TemplateFormat.fromWire(value).orElse(null);
        if (format == null) {
            errors.add(new FieldError("format", "unknown format '" + value + "'; one of text, html, blocks"));
        } else if (format == TemplateFormat.HTML && channel != null && !Channel.EMAIL.equals(channel)) {
            errors.add(new FieldError("format", "html is only for the email channel"));
        } else if (format == TemplateFormat.BLOCKS && channel != null && !SLACK.equals(channel)) {
            errors.add(new FieldError("format", "blocks is only for the slack channel"));
        }
        return format;
    }

    private void compiles(String source, String field, List<FieldError> errors) {
        if (source == null) {
            return;
        }
        try {
            engine.check(source);
        } catch (TemplateException e) {
            errors.add(new FieldError(field, "is not a valid Mustache template: " + e.getMessage()));
        }
    }
}
