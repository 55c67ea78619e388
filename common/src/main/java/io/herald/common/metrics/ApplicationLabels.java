package io.herald.common.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@code application} label value of an application: its own name for the first {@code cap}
 * applications this node labels, {@link #OTHER} for the rest. A label value is a time series in every
 * scraper and tenants create applications, so their number is bounded here rather than trusted.
 * Names stay admitted for the node's lifetime, so a series never changes its meaning.
 */
public final class ApplicationLabels {
    public static final String OTHER = "other";

    private final int cap;
    private final ConcurrentMap<String, String> admitted = new ConcurrentHashMap<>();
    /** Set once the cap is reached: from then on an unknown name costs one map read, no lock. */
    private volatile boolean full;

    public ApplicationLabels(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("the application label cap must be at least 1, not " + cap);
        }
        this.cap = cap;
    }

    /** The label value for {@code application}: a map read once the application is known, no allocation. */
    public String of(String application) {
        String known = admitted.get(application);
        if (known != null) {
            return known;
        }
        return full ? OTHER : admit(application);
    }

    private synchronized String admit(String application) {
        if (admitted.containsKey(application)) {
            return application;
        }
        if (admitted.size() < cap) {
            admitted.put(application, application);
            full = admitted.size() >= cap;
            return application;
        }
        return OTHER;
    }
}
