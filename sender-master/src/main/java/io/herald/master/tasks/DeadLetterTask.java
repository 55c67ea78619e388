package io.herald.master.tasks;

import io.herald.common.tasks.HeraldTask;
import io.herald.master.api.DeadLetterFilter;
import io.herald.master.core.Dispatcher;
import io.herald.master.db.DeadLetterStore;
import io.herald.master.resources.DeadLettersResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code dead-letters-requeue} and {@code dead-letters-purge}, selecting by {@code id} (repeatable),
 * {@code application} and {@code olderThan} (a duration; {@code 0s} selects every dead letter). Both
 * work in chunks of short transactions. Purged messages stay readable until retention deletes them.
 */
public final class DeadLetterTask extends HeraldTask {
    private final DeadLetterStore store;
    private final Dispatcher dispatcher;
    private final boolean requeue;

    private DeadLetterTask(String name, DeadLetterStore store, Dispatcher dispatcher, boolean requeue) {
        super(name);
        this.store = store;
        this.dispatcher = dispatcher;
        this.requeue = requeue;
    }

    public static DeadLetterTask requeue(DeadLetterStore store, Dispatcher dispatcher) {
        return new DeadLetterTask("dead-letters-requeue", store, dispatcher, true);
    }

    public static DeadLetterTask purge(DeadLetterStore store, Dispatcher dispatcher) {
        return new DeadLetterTask("dead-letters-purge", store, dispatcher, false);
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        allowOnly(parameters, "id", "application", "olderThan", "limit");
        String application = single(parameters, "application").orElse(null);
        String olderThan = single(parameters, "olderThan").orElse(null);
        DeadLetterFilter filter = TaskParams.parse(() ->
                DeadLetterFilter.parseSelection(parameters.getOrDefault("id", List.of()), application, olderThan));
        int max = TaskParams.parse(() -> DeadLettersResource.changeLimit(single(parameters, "limit").orElse(null)));
        if (requeue) {
            int requeued = store.requeue(filter, "dead letter requeued by the " + getName() + " task", max);
            dispatcher.wakeUp();
            output.println("requeued " + requeued + " dead letter(s)");
        } else {
            output.println("purged " + store.purge(filter, "dead letter purged by the " + getName() + " task", max) + " dead letter(s)");
        }
    }
}
