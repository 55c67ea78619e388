package io.herald.master.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The body of {@code PUT /v1/topics/{name}}: nothing, or {@code {"description": "..."}}. */
public final class TopicParser {
    private final JsonInput input;

    public TopicParser(ObjectMapper json) {
        this.input = new JsonInput(json);
    }

    /** The topic's description, null for none (an empty body too). */
    public String description(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        JsonNode root = input.readTree(body);
        List<FieldError> errors = new ArrayList<>();
        String description = null;
        if (JsonInput.isObject(root, "", errors)) {
            JsonInput.rejectUnknown(root, "", Set.of("description"), errors);
            description = JsonInput.text(root, "", "description", false, errors);
            JsonInput.checkLength(description, TopicNames.MAX_DESCRIPTION_CHARS, "description", errors);
            if (description != null && io.herald.common.model.ControlCharacters.any(description)) {
                errors.add(new FieldError("description", "must not contain control characters or unpaired surrogates"));
            }
        }
        JsonInput.throwIfAny(errors);
        return description;
    }
}
