package io.herald.common.queue;

import java.util.List;

/** The leader's side of the task queue ({@link TaskQueue}; a fake in unit tests). */
public interface TaskPublisher {
    /** Creates the queue's parent znodes if they are missing. */
    void ensurePaths() throws Exception;

    /** Adds tasks atomically: all of them are queued, or none. */
    void put(List<DispatchTask> tasks) throws Exception;

    /** How many tasks wait or run; the leader's back-pressure signal. */
    int size() throws Exception;
}
