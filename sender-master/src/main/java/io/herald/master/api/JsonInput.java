package io.herald.master.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reading request bodies field by field, collecting every problem as a {@link FieldError}. */
final class JsonInput {
    private final ObjectMapper json;

    JsonInput(ObjectMapper json) {
        this.json = json.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    ObjectMapper mapper() {
        return json;
    }

    JsonNode readTree(byte[] body) {
        return readTree(body, "$");
    }

    /** The JSON in {@code body}; a problem with it is named {@code field} (a line of an import names its line). */
    JsonNode readTree(byte[] body, String field) {
        if (body.length == 0) {
            throw InvalidRequestException.of(400, field, "is empty");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.of(400, field, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InvalidRequestException.of(400, field, "unreadable request body");
        }
    }

    /** 413 if any error is about size, else 400; nothing when there are no errors. */
    static void throwIfAny(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        boolean tooLarge = errors.stream().anyMatch(e -> e.message().startsWith("is larger than"));
        throw new InvalidRequestException(tooLarge ? 413 : 400, errors);
    }

    /** Whether {@code node} is an object; if not, records the error against the item itself. */
    static boolean isObject(JsonNode node, String prefix, List<FieldError> errors) {
        if (node != null && node.isObject()) {
            return true;
        }
        errors.add(new FieldError(prefix.isEmpty() ? "$" : prefix.substring(0, prefix.length() - 1), "must be a JSON object"));
        return false;
    }

    static void rejectUnknown(JsonNode node, String prefix, Set<String> allowed, List<FieldError> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(prefix + name, "unknown field; allowed: " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
    }

    static String text(JsonNode node, String prefix, String field, boolean required, List<FieldError> errors) {
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

    /** A JSON boolean; absent or null is false. */
    static boolean flag(JsonNode node, String prefix, String field, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            errors.add(new FieldError(prefix + field, "must be true or false"));
            return false;
        }
        return value.booleanValue();
    }

    static void checkLength(String value, int max, String field, List<FieldError> errors) {
        // Characters as the database counts them (code points), not UTF-16 units.
        int length = value == null ? 0 : value.codePointCount(0, value.length());
        if (length > max) {
            errors.add(new FieldError(field, "is " + length + " characters long; at most " + max + " are allowed"));
        }
    }

    static void checkBytes(String value, int max, String field, List<FieldError> errors) {
        if (value != null && value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max) {
            errors.add(new FieldError(field, "is larger than " + max + " bytes (" + max / 1024 + " KiB) in UTF-8"));
        }
    }
}
