package io.herald.master.console;

/** The names of the console's sampled series in {@code console_sample} (migration V80). */
final class Series {
    static final String WORKER_SENT = "worker.sent";
    static final String WORKER_FAILED = "worker.failed";
    static final String WORKER_RETRIED = "worker.retried";
    static final String WORKER_IN_FLIGHT = "worker.in_flight";
    static final String WORKER_TASKS_HELD = "worker.tasks_held";
    static final String BACKLOG = "backlog";
    static final String DEAD = "dead";
    static final String UNKNOWN = "unknown";
    static final String MAX_ID = "max_id";
    static final String LATENCY_P50 = "latency.p50";
    static final String LATENCY_P95 = "latency.p95";
    static final String LATENCY_MAX = "latency.max";
    static final String LATENCY_OPEN = "latency.open";

    private Series() {}
}
