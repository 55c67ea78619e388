package io.herald.tools.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A URL query string; parameters whose value is null are left out, so options not given send nothing. */
final class Query {
    private final List<String> pairs = new ArrayList<>();

    static Query of() {
        return new Query();
    }

    Query add(String name, Object value) {
        if (value != null) {
            pairs.add(encode(name) + "=" + encode(String.valueOf(value)));
        }
        return this;
    }

    Query addAll(String name, List<?> values) {
        if (values != null) {
            values.forEach(v -> add(name, v));
        }
        return this;
    }

    /** {@code ?a=1&b=2}, or empty. */
    @Override
    public String toString() {
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
