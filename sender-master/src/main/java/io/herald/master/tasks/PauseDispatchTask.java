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
public final class PauseDispatchTask extends HeraldTask {
    private final DispatchStore store;
    private final Dispatcher dispatcher;
    private final boolean pause;

    private PauseDispatchTask(String name, DispatchStore store, Dispatcher dispatcher, boolean pause) {
        super(name);
        this.store = store;
        this.dispatcher = dispatcher;
        this.pause = pause;
    }

    public static PauseDispatchTask pause(DispatchStore store, Dispatcher dispatcher) {
        return new PauseDispatchTask("pause-dispatch", store, dispatcher, true);
    }

    public static PauseDispatchTask resume(DispatchStore store, Dispatcher dispatcher) {
        return new PauseDispatchTask("resume-dispatch", store, dispatcher, false);
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        allowOnly(parameters);
        store.setPaused(pause);
        dispatcher.wakeUp();
        output.println(pause ? "dispatch paused cluster-wide; messages are still accepted" : "dispatch resumed");
    }
}
