package io.herald.master.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.herald.common.model.Channel;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a bulk change of a topic's subscribers as it arrives, never the whole body at once: JSON lines
 * ({@code {"channel": "email", "target": "a@example.org"}} per line), or, when the body starts with
 * {@code [}, one JSON array of such objects, parsed token by token. Bounded: at most
 * {@value #MAX_SUBSCRIBERS} subscribers per call (413 past it), {@value #MAX_ITEM_BYTES} bytes per line
 * and per string, objects with only the known fields. Each error names its place: {@code line 7.target}
 * for lines (blank lines count), {@code [6].target} for an array.
 */
public final class SubscriberReader {
    public static final int MAX_SUBSCRIBERS = 100_000;
    public static final int MAX_ITEM_BYTES = 16 * 1024;
    private static final Set<String> FIELDS = Set.of("channel", "target", "recipient");

    private final JsonFactory factory;
    private final Targets targets;

    public SubscriberReader(Targets targets) {
        this.targets = targets;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_ITEM_BYTES).maxNestingDepth(8).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** The subscribers of a body, one at a time. */
    public interface Items {
        /** The next subscriber, or null at the end of the body; bad input throws {@link InvalidRequestException}. */
        Subscriber next() throws IOException;
    }

    public Items open(InputStream body) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
        in.mark(MAX_ITEM_BYTES);
        int b = in.read();
        for (int read = 1; read < MAX_ITEM_BYTES && (b == ' ' || b == '\t' || b == '\r' || b == '\n'); read++) {
            b = in.read();
        }
        in.reset();
        return b == '[' ? new ArrayItems(in) : new LineItems(in);
    }

    private final class LineItems implements Items {
        private final InputStream in;
        private long number;

        LineItems(InputStream in) {
            this.in = in;
        }

        @Override
        public Subscriber next() throws IOException {
            for (byte[] line = readLine(); line != null; line = readLine()) {
                if (isBlank(line)) {
                    continue;
                }
                String at = "line " + number;
                try (JsonParser parser = factory.createParser(line)) {
                    Subscriber subscriber = item(parser, parser.nextToken(), at);
                    if (parser.nextToken() != null) {
                        throw InvalidRequestException.of(400, at, "holds more than one JSON value; one subscriber per line");
                    }
                    return subscriber;
                } catch (JsonProcessingException e) {
                    throw malformed(at, e);
                }
            }
            return null;
        }

        private byte[] readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b = in.read();
            if (b < 0) {
                return null;
            }
            number++;
            if (number > MAX_SUBSCRIBERS) {
                throw InvalidRequestException.of(413, "line " + number, "a call holds at most " + MAX_SUBSCRIBERS + " subscribers");
            }
            while (b >= 0 && b != '\n') {
                if (line.size() == MAX_ITEM_BYTES) {
                    throw InvalidRequestException.of(413, "line " + number, "is larger than " + MAX_ITEM_BYTES + " bytes");
                }
                line.write(b);
                b = in.read();
            }
            return line.toByteArray();
        }
    }

    private final class ArrayItems implements Items {
        private final JsonParser parser;
        private int index = -1;
        private boolean ended;

        ArrayItems(InputStream in) throws IOException {
            this.parser = factory.createParser(in);
        }

        @Override
        public Subscriber next() throws IOException {
            if (ended) {
                return null;
            }
            String at = "[" + (index + 1) + "]";
            try {
                if (index < 0) {
                    parser.nextToken(); // the '[' the body starts with
                }
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    ended = true;
                    at = "$";
                    if (parser.nextToken() != null) {
                        throw InvalidRequestException.of(400, "$", "holds something after the array's end");
                    }
                    parser.close();
                    return null;
                }
                index++;
                if (index >= MAX_SUBSCRIBERS) {
                    throw InvalidRequestException.of(413, "[" + index + "]", "a call holds at most " + MAX_SUBSCRIBERS + " subscribers");
                }
                return item(parser, token, "[" + index + "]");
            } catch (JsonProcessingException e) {
                throw malformed(at, e);
            }
        }
    }

    /** One subscriber object, read field by field from {@code parser}, whose current token is {@code first}. */
    private Subscriber item(JsonParser parser, JsonToken first, String at) throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw InvalidRequestException.of(400, at, "must be a JSON object with channel and target");
        }
        String prefix = at + ".";
        List<FieldError> errors = new ArrayList<>();
        String channelName = null;
        String target = null;
        String recipient = null;
        Set<String> seen = new HashSet<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(prefix + name, "unknown field; allowed: channel, recipient, target"));
                parser.skipChildren();
            } else if (value == JsonToken.VALUE_NULL) {
                continue; // null is absent, as in a message
            } else if (value != JsonToken.VALUE_STRING) {
                seen.add(name);
                errors.add(new FieldError(prefix + name, "must be a string"));
                parser.skipChildren();
            } else if (seen.add(name)) {
                switch (name) {
                    case "channel" -> channelName = parser.getText();
                    case "target" -> target = parser.getText();
                    default -> recipient = parser.getText();
                }
            }
        }
        Channel channel = null;
        if (channelName == null && !seen.contains("channel")) {
            errors.add(new FieldError(prefix + "channel", "is required"));
        } else {
            channel = targets.channel(channelName, prefix + "channel", errors);
        }
        if (target == null && !seen.contains("target")) {
            errors.add(new FieldError(prefix + "target", "is required"));
        } else if (target != null && channel != null) {
            targets.check(channel, target, prefix + "target", errors);
        }
        MessageParser.checkKey(recipient, prefix + "recipient", errors);
        JsonInput.throwIfAny(errors);
        return new Subscriber(channel, target, recipient);
    }

    private static InvalidRequestException malformed(String at, JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return InvalidRequestException.of(413, at, "is larger than allowed: " + e.getOriginalMessage());
        }
        return InvalidRequestException.of(400, at, "malformed JSON: " + e.getOriginalMessage());
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
