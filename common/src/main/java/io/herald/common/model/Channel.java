package io.herald.common.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a message is delivered. The wire and database name is the lower-case constant name. */
public enum Channel {
    EMAIL,
    WEBHOOK,
    LOG;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> fromWire(String value) {
        return Arrays.stream(values()).filter(c -> c.wireName().equals(value)).findFirst();
    }

    public static String allowedValues() {
        return Arrays.stream(values()).map(Channel::wireName).collect(Collectors.joining("|"));
    }
}
