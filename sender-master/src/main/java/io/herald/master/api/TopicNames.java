package io.herald.master.api;

import java.util.List;

/** A topic's name (it appears in URLs and audit reasons): {@link Names}' alphabet, up to 128 characters. */
public final class TopicNames {
    public static final int MAX_CHARS = 128;
    public static final int MAX_DESCRIPTION_CHARS = 1_024;

    private TopicNames() {}

    public static void check(String name, String field, List<FieldError> errors) {
        if (name != null && !Names.isName(name, MAX_CHARS)) {
            errors.add(new FieldError(field, Names.rule(MAX_CHARS)));
        }
    }

    /** The name in a path, or a 400 naming {@code name}. */
    public static String require(String name) {
        if (name == null || !Names.isName(name, MAX_CHARS)) {
            throw InvalidRequestException.of(400, "name", Names.rule(MAX_CHARS));
        }
        return name;
    }
}
