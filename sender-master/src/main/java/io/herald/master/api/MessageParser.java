package io.herald.master.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.model.ControlCharacters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.herald.master.api.JsonInput.checkBytes;
import static io.herald.master.api.JsonInput.checkLength;
import static io.herald.master.api.JsonInput.flag;
import static io.herald.master.api.JsonInput.isObject;
import static io.herald.master.api.JsonInput.rejectUnknown;
import static io.herald.master.api.JsonInput.text;
import static io.herald.master.api.JsonInput.throwIfAny;

/**
 * Turns request bodies into {@link NewMessage}s, or into an {@link InvalidRequestException} that names
 * every offending field. Nothing is defaulted silently except {@code priority} (medium) and a
 * template's {@code context} (the empty object), as documented.
 */
public final class MessageParser {
    public static final int MAX_BATCH = 1_000;
    public static final int MAX_SUBJECT_CHARS = 255;
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_APPLICATION_CHARS = 64;
    public static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;
    public static final int MAX_TEMPLATE_NAME_CHARS = 128;
    public static final int MAX_CATEGORY_CHARS = 64;

    private static final Set<String> FIELDS = Set.of("application", "channel", "target", "subject", "body", "priority",
            "idempotencyKey", "template", "context", "callbackUrl", "sendAt", "cancelKey",
            "recipient", "category", "critical", "topic", "dryRun");

    /**
     * A parsed message and where it goes: to its {@code target}, or, when {@code topic} is not null, to each of that
     * topic's subscribers on its channel (the message then has no target).
     */
    public record Addressed(NewMessage message, String topic) {}

    private final JsonInput input;
    private final Targets targets;
    private final SendAt sendAt;

    public MessageParser(ObjectMapper json, Targets targets, SendAt sendAt) {
        this.input = new JsonInput(json);
        this.targets = targets;
        this.sendAt = sendAt;
    }

    /** @param application the caller's application, from its API key */
    public NewMessage parseOne(byte[] body, String application) {
        return parse(body, application, false).message();
    }

    /** One message for a target or for a topic ({@code topic} instead of {@code target}, exactly one of them). */
    public Addressed parseAddressed(byte[] body, String application) {
        return parse(body, application, true);
    }

    private Addressed parse(byte[] body, String application, boolean topicAllowed) {
        JsonNode root = input.readTree(body);
        List<FieldError> errors = new ArrayList<>();
        Addressed message = parseItem(root, "", application, topicAllowed, errors);
        throwIfAny(errors);
        return message;
    }

    public List<NewMessage> parseBatch(byte[] body, String application) {
        JsonNode root = input.readTree(body);
        if (!root.isArray()) {
            throw InvalidRequestException.of(400, "$", "must be a JSON array of messages");
        }
        if (root.isEmpty()) {
            throw InvalidRequestException.of(400, "$", "must hold at least one message");
        }
        if (root.size() > MAX_BATCH) {
            throw InvalidRequestException.of(413, "$", "holds " + root.size() + " messages; at most " + MAX_BATCH + " are allowed");
        }
        List<FieldError> errors = new ArrayList<>();
        List<NewMessage> messages = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            Addressed item = parseItem(root.get(i), "[" + i + "].", application, false, errors);
            messages.add(item == null ? null : item.message());
        }
        throwIfAny(errors);
        return messages;
    }

    private Addressed parseItem(JsonNode node, String prefix, String application, boolean topicAllowed, List<FieldError> errors) {
        if (!isObject(node, prefix, errors)) {
            return null;
        }
        rejectUnknown(node, prefix, FIELDS, errors);
        int before = errors.size();
        String named = text(node, prefix, "application", false, errors);
        String channelName = text(node, prefix, "channel", true, errors);
        String topic = text(node, prefix, "topic", false, errors);
        String target = text(node, prefix, "target", topic == null && !node.hasNonNull("topic"), errors);
        String template = text(node, prefix, "template", false, errors);
        String subject = text(node, prefix, "subject", false, errors);
        String body = text(node, prefix, "body", template == null, errors);
        String priorityName = text(node, prefix, "priority", false, errors);
        String idempotencyKey = text(node, prefix, "idempotencyKey", false, errors);
        String callbackUrl = text(node, prefix, "callbackUrl", false, errors);
        String sendAtText = text(node, prefix, "sendAt", false, errors);
        String cancelKey = text(node, prefix, "cancelKey", false, errors);
        String recipient = text(node, prefix, "recipient", false, errors);
        String category = text(node, prefix, "category", false, errors);
        boolean critical = flag(node, prefix, "critical", errors);
        boolean dryRun = flag(node, prefix, "dryRun", errors);

        // The application comes from the API key; the field is optional, kept for older clients.
        if (named != null && !named.equals(application)) {
            errors.add(new FieldError(prefix + "application", "is '" + named + "' but the API key belongs to '"
                    + application + "'; omit the field or name the key's application"));
        }
        Channel channel = channelName == null ? null : targets.channel(channelName, prefix + "channel", errors);
        if (target != null && channel != null) {
            targets.check(channel, target, prefix + "target", errors);
        }
        checkTopic(topic, target, recipient, topicAllowed, prefix, errors);
        String context = template == null ? noContext(node, prefix, errors) : templated(node, prefix, template, subject, body, errors);
        if (Channel.EMAIL.equals(channel) && subject == null && template == null) {
            errors.add(new FieldError(prefix + "subject", "is required for the email channel"));
        }
        checkLength(subject, MAX_SUBJECT_CHARS, prefix + "subject", errors);
        checkBytes(body, MAX_BODY_BYTES, prefix + "body", errors);
        Priority priority = Priority.MEDIUM;
        if (priorityName != null) {
            priority = Priority.fromWire(priorityName).orElse(null);
            if (priority == null) {
                errors.add(new FieldError(prefix + "priority", "unknown priority '" + priorityName + "'; one of " + Priority.allowedValues()));
            }
        }
        checkKey(idempotencyKey, prefix + "idempotencyKey", errors);
        checkKey(cancelKey, prefix + "cancelKey", errors);
        checkKey(recipient, prefix + "recipient", errors);
        checkCategory(category, prefix + "category", errors);
        if (callbackUrl != null) {
            targets.checkUrl(callbackUrl, prefix + "callbackUrl", errors);
        }
        checkLength(callbackUrl, Targets.MAX_TARGET_CHARS, prefix + "callbackUrl", errors);
        Instant due = sendAtText == null ? null : sendAt.parse(sendAtText, prefix + "sendAt", errors);
        if (errors.size() > before) {
            return null;
        }
        return new Addressed(new NewMessage(application, channel, target, subject, body, priority, idempotencyKey, template, context,
                callbackUrl, due, cancelKey, new NewMessage.Audience(recipient, category, critical), dryRun), topic);
    }

    /** {@code topic} instead of {@code target}, exactly one of them, only on {@code POST /v1/messages}, and each subscriber its own recipient. */
    private static void checkTopic(String topic, String target, String recipient, boolean allowed, String prefix, List<FieldError> errors) {
        if (topic == null) {
            return;
        }
        if (!allowed) {
            errors.add(new FieldError(prefix + "topic", "is for one message at a time: send it with POST /v1/messages"));
        } else if (target != null) {
            errors.add(new FieldError(prefix + "topic", "must not be given with target: a message goes to one target or to a topic's subscribers"));
        }
        if (recipient != null) {
            errors.add(new FieldError(prefix + "recipient", "must not be given with topic: each subscriber is its own recipient"));
        }
        TopicNames.check(topic, prefix + "topic", errors);
    }

    /**
     * An application's key for its messages ({@code idempotencyKey}, {@code cancelKey}): not empty, no control
     * characters or unpaired surrogates, at most {@value #MAX_IDEMPOTENCY_KEY_CHARS} characters; compared byte for byte.
     */
    public static void checkKey(String key, String field, List<FieldError> errors) {
        if (key != null && key.isEmpty()) {
            errors.add(new FieldError(field, "must not be empty; omit it instead"));
        }
        if (key != null && ControlCharacters.any(key)) {
            errors.add(new FieldError(field, "must not contain control characters or unpaired surrogates"));
        }
        checkLength(key, MAX_IDEMPOTENCY_KEY_CHARS, field, errors);
    }

    /** A category names a kind of message (opt-outs name it): {@link Names}' alphabet, up to 64 characters. */
    public static void checkCategory(String category, String field, List<FieldError> errors) {
        if (category != null && !Names.isName(category, MAX_CATEGORY_CHARS)) {
            errors.add(new FieldError(field, Names.rule(MAX_CATEGORY_CHARS)));
        }
    }

    private static String noContext(JsonNode node, String prefix, List<FieldError> errors) {
        if (node.has("context")) {
            errors.add(new FieldError(prefix + "context", "is only for a message with a template"));
        }
        return null;
    }

    /**
     * Checks a templated message's own fields; returns its context as JSON text. A template with no
     * variables needs no context, so a missing context is the empty object.
     */
    private String templated(JsonNode node, String prefix, String template, String subject, String body, List<FieldError> errors) {
        if (!Names.isName(template, MAX_TEMPLATE_NAME_CHARS)) {
            errors.add(new FieldError(prefix + "template", Names.rule(MAX_TEMPLATE_NAME_CHARS)));
        }
        if (subject != null) {
            errors.add(new FieldError(prefix + "subject", "must not be given with a template; the template makes the subject"));
        }
        if (body != null) {
            errors.add(new FieldError(prefix + "body", "must not be given with a template; the template makes the body"));
        }
        JsonNode context = node.get("context");
        if (context == null || context.isNull()) {
            return "{}";
        }
        if (!context.isObject()) {
            errors.add(new FieldError(prefix + "context", "must be a JSON object"));
            return null;
        }
        String text = context.toString();
        checkBytes(text, MAX_BODY_BYTES, prefix + "context", errors);
        return text;
    }
}
