package io.herald.master.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CSV import of preferences (RFC 4180, UTF-8), one recipient a row after a header row that names the columns:
 * {@code recipient} (required), {@code all} ({@code true} or {@code false}; empty is false), {@code channels} and
 * {@code categories} (names separated by {@code ;}). Each row is made into the tree a JSON line would be and
 * read by the same {@link PreferencesParser}, so the limits and the errors' names are the same
 * ({@code line 3.optOut.channels[0]}). A quoted field may hold commas and {@code ""}, not a line break: no valid
 * value has one. One instance reads one import.
 */
public final class CsvPreferences {
    private static final List<String> COLUMNS = List.of("recipient", "all", "channels", "categories");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PreferencesParser parser;
    private List<String> header;

    public CsvPreferences(PreferencesParser parser) {
        this.parser = parser;
    }

    /** The preferences of line {@code number}, or null for the header row. */
    public Preferences parseLine(byte[] line, long number) {
        List<String> fields = fields(text(line, number), number);
        if (header == null) {
            header = header(fields, number);
            return null;
        }
        if (fields.size() != header.size()) {
            throw InvalidRequestException.of(400, "line " + number, "has " + fields.size() + " fields; the header names " + header.size());
        }
        ObjectNode record = NODES.objectNode();
        ObjectNode optOut = record.putObject("optOut");
        for (int i = 0; i < header.size(); i++) {
            String value = fields.get(i);
            switch (header.get(i)) {
                case "recipient" -> record.put("recipient", value);
                case "all" -> optOut.set("all", flag(value));
                default -> optOut.set(header.get(i), names(value));
            }
        }
        return parser.parseRecord(record, number);
    }

    private static List<String> header(List<String> fields, long number) {
        List<String> names = new ArrayList<>();
        for (String field : fields) {
            String name = field.trim().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                throw InvalidRequestException.of(400, "line " + number + "." + field, "unknown column; allowed: " + String.join(", ", COLUMNS));
            }
            if (names.contains(name)) {
                throw InvalidRequestException.of(400, "line " + number + "." + field, "is named twice");
            }
            names.add(name);
        }
        if (!names.contains("recipient")) {
            throw InvalidRequestException.of(400, "line " + number, "the header row must name the column recipient (and any of all, channels, categories)");
        }
        return names;
    }

    /** true and false as JSON booleans, empty as absent; anything else stays text, which the parser refuses by name. */
    private static JsonNode flag(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "" -> NODES.nullNode();
            case "true" -> NODES.booleanNode(true);
            case "false" -> NODES.booleanNode(false);
            default -> NODES.textNode(value);
        };
    }

    private static ArrayNode names(String value) {
        ArrayNode names = NODES.arrayNode();
        for (String name : value.split(";", -1)) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }

    private static String text(byte[] line, long number) {
        int start = number == 1 && line.length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(line, start, line.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw InvalidRequestException.of(400, "line " + number, "is not UTF-8");
        }
    }

    /** The fields of one row: separated by commas, each plain or in double quotes with {@code ""} for a quote. */
    static List<String> fields(String row, long number) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < row.length(); i++) {
            char ch = row.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (ch == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted) {
                throw InvalidRequestException.of(400, "line " + number, "has text after a quoted field's closing quote (field " + (fields.size() + 1) + ")");
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw InvalidRequestException.of(400, "line " + number, "has a quoted field without its closing quote (field " + (fields.size() + 1) + ")");
        }
        fields.add(field.toString());
        return fields;
    }
}
