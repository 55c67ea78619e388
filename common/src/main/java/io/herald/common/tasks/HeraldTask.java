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

    /** What a task does with its parameters; it throws {@link TaskInputException} for bad input. */
    @FunctionalInterface
    public interface Body {
        void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception;
    }

    /**
     * A task that is only its body: for tasks that come in pairs over one store (pause and resume, requeue
     * and purge), which differ in a line or two and would otherwise be a class each, or one class with a flag.
     */
    public static HeraldTask of(String name, Body body) {
        return new HeraldTask(name) {
            @Override
            protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                body.run(parameters, output);
            }
        };
    }

    /** The single value of {@code name}, or empty when absent; more than one value is bad input. */
    public static java.util.Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new TaskInputException("parameter '" + name + "' was given " + values.size() + " times; give it once");
        }
        return values.stream().findFirst();
    }

    /** Fails on any parameter not in {@code allowed}, so a typo is not silently ignored. */
    public static void allowOnly(Map<String, List<String>> parameters, String... allowed) {
        List<String> known = List.of(allowed);
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw new TaskInputException("unknown parameter '" + name + "'"
                        + (known.isEmpty() ? "; this task takes none" : "; allowed: " + String.join(", ", known)));
            }
        }
    }
}
