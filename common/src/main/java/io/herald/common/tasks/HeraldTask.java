package io.herald.common.tasks;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * An admin task whose bad input is answered with HTTP 400 and a one-line message, not with
 * Dropwizard's 500 and stack trace. Subclasses throw {@link TaskInputException} for bad input.
 */
public abstract class HeraldTask extends Task {
    protected HeraldTask(String name) {
        super(name);
    }

    @Override
    public final void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        try {
            run(parameters, output);
        } catch (TaskInputException e) {
            TaskStatusFilter.setStatus(400);
            output.println("error: " + e.getMessage());
        }
    }

    protected abstract void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception;

    /** The single value of {@code name}, or empty when absent; more than one value is bad input. */
    protected static java.util.Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new TaskInputException("parameter '" + name + "' was given " + values.size() + " times; give it once");
        }
        return values.stream().findFirst();
    }

    /** Fails on any parameter not in {@code allowed}, so a typo is not silently ignored. */
    protected static void allowOnly(Map<String, List<String>> parameters, String... allowed) {
        List<String> known = List.of(allowed);
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw new TaskInputException("unknown parameter '" + name + "'"
                        + (known.isEmpty() ? "; this task takes none" : "; allowed: " + String.join(", ", known)));
            }
        }
    }
}
