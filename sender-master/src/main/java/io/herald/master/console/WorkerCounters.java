package io.herald.master.console;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a worker counts about its own work, as its admin port's {@code /metrics} shows it: messages sent,
 * dead-lettered ({@code failed}) and scheduled for a retry since the worker started, and, now, the sends
 * in flight and the tasks it holds. The metric names are the worker's ({@code DeliveryPipeline},
 * {@code TaskConsumer}); {@code ConsoleTest} reads them from a real worker, so a rename fails there.
 */
public record WorkerCounters(long sent, long failed, long retried, long inFlight, long tasksHeld) {
    static final String SENT = "herald.messages.sent";
    static final String FAILED = "herald.messages.dead_lettered";
    static final String RETRIED = "herald.messages.retried";
    static final String IN_FLIGHT = "herald.worker.sends_in_flight";
    static final String TASKS_HELD = "herald.worker.tasks_in_flight";

    /** Reads Dropwizard's metrics JSON; a metric the worker does not have (yet) counts as 0. */
    static WorkerCounters fromMetrics(JsonNode metrics) {
        return new WorkerCounters(meter(metrics, SENT), meter(metrics, FAILED), meter(metrics, RETRIED),
                gauge(metrics, IN_FLIGHT), gauge(metrics, TASKS_HELD));
    }

    private static long meter(JsonNode metrics, String name) {
        return metrics.path("meters").path(name).path("count").asLong(0);
    }

    private static long gauge(JsonNode metrics, String name) {
        return metrics.path("gauges").path(name).path("value").asLong(0);
    }
}
