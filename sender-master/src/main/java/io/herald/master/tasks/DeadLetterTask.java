package io.herald.master.tasks;

import io.herald.common.tasks.HeraldTask;
import io.herald.master.api.DeadLetterFilter;
import io.herald.master.core.Dispatcher;
import io.herald.master.db.DeadLetterStore;
import io.herald.master.resources.DeadLettersResource;
import java.util.List;
import java.util.Map;

/**
 * {@code dead-letters-requeue} and {@code dead-letters-purge}, selecting by {@code id} (repeatable),
 * {@code application} and {@code olderThan} (a duration; {@code 0s} selects every dead letter). Both
 * work in chunks of short transactions. Purged messages stay readable until retention deletes them.
 */
public final class DeadLetterTask {
    private static final String REQUEUE = "dead-letters-requeue";
    private static final String PURGE = "dead-letters-purge";

    private DeadLetterTask() {}

    /** {@code dead-letters-requeue}, then {@code dead-letters-purge}. */
    public static List<HeraldTask> requeueAndPurge(DeadLetterStore store, Dispatcher dispatcher) {
        return List.of(
                HeraldTask.of(REQUEUE, (parameters, output) -> {
                    int requeued = store.requeue(selection(parameters), "dead letter requeued by the " + REQUEUE + " task", limit(parameters));
                    dispatcher.wakeUp();
                    output.println("requeued " + requeued + " dead letter(s)");
                }),
                HeraldTask.of(PURGE, (parameters, output) -> output.println("purged "
                        + store.purge(selection(parameters), "dead letter purged by the " + PURGE + " task", limit(parameters)) + " dead letter(s)")));
    }

    /** Checks the parameters' names, then reads the selection; bad input is the task's 400. */
    private static DeadLetterFilter selection(Map<String, List<String>> parameters) {
        HeraldTask.allowOnly(parameters, "id", "application", "olderThan", "limit");
        String application = HeraldTask.single(parameters, "application").orElse(null);
        String olderThan = HeraldTask.single(parameters, "olderThan").orElse(null);
        return TaskParams.parse(() ->
                DeadLetterFilter.parseSelection(parameters.getOrDefault("id", List.of()), application, olderThan));
    }

    private static int limit(Map<String, List<String>> parameters) {
        return TaskParams.parse(() -> DeadLettersResource.changeLimit(HeraldTask.single(parameters, "limit").orElse(null)));
    }
}
