package io.herald.worker.tasks;

import io.herald.common.queue.TaskConsumer;
import io.herald.common.tasks.HeraldTask;
import io.herald.common.tasks.TaskInputException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code drain[?wait=30]}: the worker takes no new tasks and finishes the ones it holds. Waits up to
 * {@code wait} seconds (default 30) and says whether the worker is empty. {@code resume-tasks} undoes it.
 */
public final class DrainTask extends HeraldTask {
    private final TaskConsumer consumer;

    public DrainTask(TaskConsumer consumer) {
        super("drain");
        this.consumer = consumer;
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        allowOnly(parameters, "wait");
        long waitSeconds = single(parameters, "wait").map(DrainTask::seconds).orElse(30L);
        try {
            consumer.drain().get(waitSeconds, TimeUnit.SECONDS);
            output.println("drained: no tasks in flight; this worker takes no new tasks until resume-tasks");
        } catch (TimeoutException e) {
            output.println("draining: " + consumer.tasksInFlight() + " task(s) still in flight after " + waitSeconds + " s");
        }
    }

    private static long seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 0 && seconds <= 3_600) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new TaskInputException("wait must be a number of seconds from 0 to 3600, not '" + value + "'");
    }

    /** {@code resume-tasks}: take tasks again after a drain. */
    public static HeraldTask resume(TaskConsumer consumer) {
        return new HeraldTask("resume-tasks") {
            @Override
            protected void run(Map<String, List<String>> parameters, PrintWriter output) {
                allowOnly(parameters);
                consumer.resume();
                output.println("taking tasks again");
            }
        };
    }
}
