package io.herald.master.console;

/**
 * The names of the console's sampled series in {@code console_sample} (migration V80), by what their
 * {@code label} holds.
 */
final class Series {
    /** A worker's counters (sent, failed, retried) and gauges (in flight, tasks held); the label is the worker's id. */
    static final String WORKER_SENT = "worker.sent", WORKER_FAILED = "worker.failed", WORKER_RETRIED = "worker.retried",
            WORKER_IN_FLIGHT = "worker.in_flight", WORKER_TASKS_HELD = "worker.tasks_held";

    /** Queued messages; the label is {@code <priority>:<application>}. */
    static final String BACKLOG = "backlog";

    /** Cluster-wide counts, unlabelled: dead letters, unknown messages, and the highest message id so far. */
    static final String DEAD = "dead", UNKNOWN = "unknown", MAX_ID = "max_id";

    /**
     * Of the messages created between the two samples before, unlabelled: quantiles of the seconds from
     * creation to sent, and how many are not final yet ({@code latency.open}).
     */
    static final String LATENCY_P50 = "latency.p50", LATENCY_P95 = "latency.p95", LATENCY_MAX = "latency.max",
            LATENCY_OPEN = "latency.open";

    private Series() {}
}
