package io.herald.master.tasks;

import io.herald.common.model.MessageStatus;
import io.herald.common.tasks.HeraldTask;
import io.herald.common.tasks.TaskInputException;
import io.herald.master.api.QueryParams;
import io.herald.master.core.Dispatcher;
import io.herald.master.db.MessageStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code requeue?id=1&id=2} or {@code requeue?status=unknown|dead}: puts dead or unknown messages
 * back in the queue with a fresh retry budget.
 */
public final class RequeueTask extends HeraldTask {
    private final MessageStore messages;
    private final Dispatcher dispatcher;

    public RequeueTask(MessageStore messages, Dispatcher dispatcher) {
        super("requeue");
        this.messages = messages;
        this.dispatcher = dispatcher;
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        allowOnly(parameters, "id", "status");
        List<String> ids = parameters.getOrDefault("id", List.of());
        var status = single(parameters, "status");
        if (ids.isEmpty() == status.isEmpty()) {
            throw new TaskInputException("give either id=<message id> (repeatable) or status=dead|unknown");
        }
        int requeued = status.isPresent() ? messages.requeueAll(parseStatus(status.get())) : messages.requeue(TaskParams.parse(() -> QueryParams.ids("id", ids)));
        dispatcher.wakeUp();
        output.println("requeued " + requeued + " message(s)");
    }

    private static MessageStatus parseStatus(String value) {
        return MessageStatus.find(value)
                .filter(s -> s == MessageStatus.DEAD || s == MessageStatus.UNKNOWN)
                .orElseThrow(() -> new TaskInputException("status must be dead or unknown, not '" + value + "'"
                        + ("failed".equals(value) ? " (failed messages are now dead letters: status=dead)" : "")));
    }
}
