package io.herald.master.tasks;

import io.herald.common.model.MessageStatus;
import io.herald.common.tasks.HeraldTask;
import io.herald.common.tasks.TaskInputException;
import io.herald.master.core.Dispatcher;
import io.herald.master.db.MessageStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code requeue?id=1&id=2} or {@code requeue?status=unknown|failed}: puts failed or unknown messages
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
            throw new TaskInputException("give either id=<message id> (repeatable) or status=failed|unknown");
        }
        int requeued = status.isPresent() ? messages.requeueAll(parseStatus(status.get())) : messages.requeue(parseIds(ids));
        dispatcher.wakeUp();
        output.println("requeued " + requeued + " message(s)");
    }

    private static MessageStatus parseStatus(String value) {
        return MessageStatus.find(value)
                .filter(s -> s == MessageStatus.FAILED || s == MessageStatus.UNKNOWN)
                .orElseThrow(() -> new TaskInputException("status must be failed or unknown, not '" + value + "'"));
    }

    private static List<Long> parseIds(List<String> values) {
        List<Long> ids = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                ids.add(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new TaskInputException("id must be a message id (a whole number), not '" + value + "'");
            }
        }
        return ids;
    }
}
