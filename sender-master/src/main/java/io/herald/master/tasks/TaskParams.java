package io.herald.master.tasks;

import io.herald.common.tasks.TaskInputException;
import io.herald.master.api.InvalidRequestException;
import java.util.function.Supplier;

/** Lets admin tasks share the API's parameter parsing: a 400 for the API becomes a task's one-line 400. */
final class TaskParams {
    private TaskParams() {}

    static <T> T parse(Supplier<T> parsing) {
        try {
            return parsing.get();
        } catch (InvalidRequestException e) {
            throw new TaskInputException(e.getMessage());
        }
    }
}
