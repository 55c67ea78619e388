package io.herald.master.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns request bodies into {@link NewMessage}s, or into an {@link InvalidRequestException} that names
 * every offending field. Nothing is defaulted silently except {@code priority} (medium), as documented.
 */
public final class MessageParser {
    public static final int MAX_BATCH = 1_000;
    public static final int MAX_SUBJECT_CHARS = 255;
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_APPLICATION_CHARS = 64;
    public static final int MAX_TARGET_CHARS = 2_048;
    public static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;

    private static final Set<String> FIELDS =
            Set.of("application", "channel", "target", "subject", "body", "priority", "idempotencyKey");

    private final ObjectMapper json;

    public MessageParser(ObjectMapper json) {
        this.json = json.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @param application the caller's application, from its API key */
    public NewMessage parseOne(byte[] body, String application) {
        JsonNode root = readTree(body);
        List<FieldError> errors = new ArrayList<>();
        NewMessage message = parseItem(root, "", application, errors);
        throwIfAny(errors);
        return message;
    }

    public List<NewMessage> parseBatch(byte[] body, String application) {
        JsonNode root = readTree(body);
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
            messages.add(parseItem(root.get(i), "[" + i + "].", application, errors));
        }
        throwIfAny(errors);
        return messages;
    }

    private JsonNode readTree(byte[] body) {
        if (body.length == 0) {
            throw InvalidRequestException.of(400, "$", "request body is empty");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.of(400, "$", "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw InvalidRequestException.of(400, "$", "unreadable request body");
        }
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        boolean tooLarge = errors.stream().anyMatch(e -> e.message().startsWith("is larger than"));
        throw new InvalidRequestException(tooLarge ? 413 : 400, errors);
    }

    private NewMessage parseItem(JsonNode node, String prefix, String application, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? "$" : prefix.substring(0, prefix.length() - 1), "must be a JSON object"));
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(prefix + name, "unknown field; allowed: " + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        int before = errors.size();
        String named = text(node, prefix, "application", false, errors);
        String channelName = text(node, prefix, "channel", true, errors);
        String target = text(node, prefix, "target", true, errors);
        String subject = text(node, prefix, "subject", false, errors);
        String body = text(node, prefix, "body", true, errors);
        String priorityName = text(node, prefix, "priority", false, errors);
        String idempotencyKey = text(node, prefix, "idempotencyKey", false, errors);

        // The application comes from the API key; the field is optional, kept for older clients.
        if (named != null && !named.equals(application)) {
            errors.add(new FieldError(prefix + "application", "is '" + named + "' but the API key belongs to '"
                    + application + "'; omit the field or name the key's application"));
        }
        Channel channel = null;
        if (channelName != null) {
            channel = Channel.fromWire(channelName).orElse(null);
            if (channel == null) {
                errors.add(new FieldError(prefix + "channel", "unknown channel '" + channelName + "'; one of " + Channel.allowedValues()));
            }
        }
        if (target != null && channel != null) {
            checkTarget(channel, target, prefix + "target", errors);
        }
        if (channel == Channel.EMAIL && subject == null) {
            errors.add(new FieldError(prefix + "subject", "is required for the email channel"));
        }
        checkLength(subject, MAX_SUBJECT_CHARS, prefix + "subject", errors);
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            errors.add(new FieldError(prefix + "body", "is larger than " + MAX_BODY_BYTES + " bytes (64 KiB) in UTF-8"));
        }
        Priority priority = Priority.MEDIUM;
        if (priorityName != null) {
            priority = Priority.fromWire(priorityName).orElse(null);
            if (priority == null) {
                errors.add(new FieldError(prefix + "priority", "unknown priority '" + priorityName + "'; one of " + Priority.allowedValues()));
            }
        }
        if (idempotencyKey != null && idempotencyKey.isEmpty()) {
            errors.add(new FieldError(prefix + "idempotencyKey", "must not be empty; omit it instead"));
        }
        checkLength(idempotencyKey, MAX_IDEMPOTENCY_KEY_CHARS, prefix + "idempotencyKey", errors);
        if (errors.size() > before) {
            return null;
        }
        return new NewMessage(application, channel, target, subject, body, priority, idempotencyKey);
    }

    private static String text(JsonNode node, String prefix, String field, boolean required, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(prefix + field, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(prefix + field, "must be a string"));
            return null;
        }
        return value.textValue();
    }

    private static void checkLength(String value, int max, String field, List<FieldError> errors) {
        // Characters as the database counts them (code points), not UTF-16 units.
        int length = value == null ? 0 : value.codePointCount(0, value.length());
        if (length > max) {
            errors.add(new FieldError(field, "is " + length + " characters long; at most " + max + " are allowed"));
        }
    }

    public static void checkTarget(Channel channel, String target, String field, List<FieldError> errors) {
        switch (channel) {
            case EMAIL -> {
                if (!isEmailAddress(target)) {
                    errors.add(new FieldError(field, "must be an email address such as someone@example.com"));
                }
            }
            case WEBHOOK -> {
                if (!isHttpUrl(target)) {
                    errors.add(new FieldError(field, "must be an absolute http or https URL"));
                }
            }
            case LOG -> {
                if (target.isBlank()) {
                    errors.add(new FieldError(field, "must not be blank"));
                }
            }
        }
        checkLength(target, MAX_TARGET_CHARS, field, errors);
    }

    public static boolean isEmailAddress(String target) {
        try {
            InternetAddress address = new InternetAddress(target, true);
            address.validate();
            // A bare address only: no display name, no group, and a domain part.
            return address.getPersonal() == null && !address.isGroup()
                    && address.getAddress().equals(target) && target.indexOf('@') > 0;
        } catch (AddressException e) {
            return false;
        }
    }

    static boolean isHttpUrl(String target) {
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
