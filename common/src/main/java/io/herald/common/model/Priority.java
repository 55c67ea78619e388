package io.herald.common.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Dispatch order: a lower rank is claimed first. Stored as the rank. */
public enum Priority {
    URGENT(0),
    HIGH(1),
    MEDIUM(2),
    LOW(3);

    private final int rank;

    Priority(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Priority fromRank(int rank) {
        return Arrays.stream(values())
                .filter(p -> p.rank == rank)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no priority with rank " + rank));
    }

    public static Optional<Priority> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(value)).findFirst();
    }

    public static String allowedValues() {
        return Arrays.stream(values()).map(Priority::wireName).collect(Collectors.joining("|"));
    }
}
