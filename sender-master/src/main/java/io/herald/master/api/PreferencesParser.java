package io.herald.master.api;

import static io.herald.master.api.JsonInput.flag;
import static io.herald.master.api.JsonInput.isObject;
import static io.herald.master.api.JsonInput.rejectUnknown;
import static io.herald.master.api.JsonInput.text;
import static io.herald.master.api.JsonInput.throwIfAny;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.channel.Channels;
import io.herald.common.model.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Reads a recipient's preferences: {@code {"optOut": {"all": false, "channels": ["email"], "categories":
 * ["marketing"]}}} for one recipient, or a line of an import, which also names {@code recipient}.
 */
public final class PreferencesParser {
    /** Channels and categories listed at most, each. */
    public static final int MAX_NAMES = 100;
    private static final Set<String> OPT_OUT_FIELDS = Set.of("all", "channels", "categories");

    private final JsonInput input;

    private final Channels channels;

    public PreferencesParser(ObjectMapper json, Channels channels) {
        this.channels = channels;
        this.input = new JsonInput(json);
    }

    /** The recipient named in a query parameter, checked like a message's {@code recipient}. */
    public static String recipient(String value) {
        List<FieldError> errors = new ArrayList<>();
        if (value == null) {
            errors.add(new FieldError("recipient", "is required: ?recipient=<the recipient's id or address>"));
        }
        MessageParser.checkKey(value, "recipient", errors);
        throwIfAny(errors);
        return value;
    }

    /** The body of a PUT: {@code {"optOut": {...}}}. */
    public OptOut parseOne(byte[] body) {
        JsonNode root = input.readTree(body);
        List<FieldError> errors = new ArrayList<>();
        OptOut optOut = isObject(root, "", errors) ? optOut(root, "", Set.of("optOut"), errors) : null;
        throwIfAny(errors);
        return optOut;
    }

    /** One line of an import, {@code {"recipient": "...", "optOut": {...}}}; its errors are named {@code line <n>.<field>}. */
    public Preferences parseLine(byte[] line, long number) {
        return parseRecord(input.readTree(line, "line " + number + ".$"), number);
    }

    /** One import record, however it was written (a JSON line, a CSV row made into the same tree); errors as for a line. */
    public Preferences parseRecord(JsonNode root, long number) {
        String prefix = "line " + number + ".";
        List<FieldError> errors = new ArrayList<>();
        Preferences preferences = null;
        if (isObject(root, prefix, errors)) {
            String recipient = text(root, prefix, "recipient", true, errors);
            MessageParser.checkKey(recipient, prefix + "recipient", errors);
            OptOut optOut = optOut(root, prefix, Set.of("recipient", "optOut"), errors);
            preferences = new Preferences(recipient, optOut);
        }
        throwIfAny(errors);
        return preferences;
    }

    private OptOut optOut(JsonNode root, String prefix, Set<String> fields, List<FieldError> errors) {
        rejectUnknown(root, prefix, fields, errors);
        JsonNode node = root.get("optOut");
        String at = prefix + "optOut.";
        if (node == null || !isObject(node, at, errors)) {
            if (node == null) {
                errors.add(new FieldError(prefix + "optOut", "is required; {} opts out of nothing"));
            }
            return null;
        }
        rejectUnknown(node, at, OPT_OUT_FIELDS, errors);
        boolean all = flag(node, at, "all", errors);
        List<String> channels = names(node, at, "channels", errors, (name, field) -> {
            if (this.channels.find(name).isEmpty()) {
                errors.add(new FieldError(field, "unknown channel '" + name + "'; one of " + this.channels.allowedValues()));
            }
        });
        List<String> categories = names(node, at, "categories", errors, (name, field) -> MessageParser.checkCategory(name, field, errors));
        return new OptOut(all, channels, categories);
    }

    private static List<String> names(JsonNode node, String prefix, String field, List<FieldError> errors,
                                      BiConsumer<String, String> check) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray() || list.size() > MAX_NAMES) {
            errors.add(new FieldError(prefix + field, "must be an array of at most " + MAX_NAMES + " strings"));
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).isTextual() ? list.get(i).textValue() : null;
            if (name == null) {
                errors.add(new FieldError(prefix + field + "[" + i + "]", "must be a string"));
            } else {
                check.accept(name, prefix + field + "[" + i + "]");
                names.add(name);
            }
        }
        return List.copyOf(names);
    }
}
