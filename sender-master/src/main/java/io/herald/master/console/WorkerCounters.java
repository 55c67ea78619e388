package io.herald.master.console;

import io.herald.common.metrics.PrometheusText;

/**
 * What a worker counts about its own work, as its admin port's {@code /prometheus} shows it: messages
 * sent, dead-lettered ({@code failed}) and scheduled for a retry since the worker started (over every
 * channel), and, now, the sends in flight and the tasks it holds. The metric names are the worker's
 * ({@code DeliveryMetrics}, {@code DeliveryPipeline}, {@code TaskConsumer}); {@code ConsoleTest} reads
 * them from a real worker, so a rename fails there.
 */
public record WorkerCounters(long sent, long failed, long retried, long inFlight, long tasksHeld) {
    static final String OUTCOMES = "herald_messages_total";
    static final String IN_FLIGHT = "herald_worker_sends_in_flight";
    static final String TASKS_HELD = "herald_worker_tasks_in_flight";
    /** The worker's page with these three alone, so the leader's sample does not render every metric. */
    static final String PAGE = PrometheusText.pathFor(OUTCOMES, IN_FLIGHT, TASKS_HELD);

    /** Reads the Prometheus text page; a metric the worker does not have (yet) counts as 0. */
    static WorkerCounters fromPrometheus(String page) {
        return new WorkerCounters(outcomes(page, "sent"), outcomes(page, "dead_lettered"), outcomes(page, "retried"),
                (long) PrometheusText.sum(page, IN_FLIGHT, ""), (long) PrometheusText.sum(page, TASKS_HELD, ""));
    }

    private static long outcomes(String page, String status) {
        return (long) PrometheusText.sum(page, OUTCOMES, "status=\"" + status + "\"");
    }
}
