package io.herald.master.tasks;

import io.herald.common.tasks.HeraldTask;
import io.herald.master.core.Dispatcher;
import io.herald.master.db.DispatchStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code pause-dispatch} and {@code resume-dispatch}: a cluster-wide switch kept in the database, so it
 * holds whichever master leads now or later. Messages are still accepted while dispatch is paused.
 */
public final class PauseDispatchTask {
    private PauseDispatchTask() {}

    /** {@code pause-dispatch}, then {@code resume-dispatch}. */
    public static List<HeraldTask> pauseAndResume(DispatchStore store, Dispatcher dispatcher) {
        return List.of(
                HeraldTask.of("pause-dispatch", (parameters, output) -> set(true, parameters, output, store, dispatcher)),
                HeraldTask.of("resume-dispatch", (parameters, output) -> set(false, parameters, output, store, dispatcher)));
    }

    private static void set(boolean pause, Map<String, List<String>> parameters, PrintWriter output, DispatchStore store,
            Dispatcher dispatcher) throws Exception {
        HeraldTask.allowOnly(parameters);
        store.setPaused(pause);
        dispatcher.wakeUp();
        output.println(pause ? "dispatch paused cluster-wide; messages are still accepted" : "dispatch resumed");
    }
}
