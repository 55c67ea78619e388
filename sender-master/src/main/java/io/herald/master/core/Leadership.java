package io.herald.master.core;

import java.util.Optional;

/** Leadership as the dispatcher and the reaper see it ({@link LeaderElection}; a fake in unit tests). */
public interface Leadership {
    /** The term this master holds now, if it leads. */
    Optional<Term> currentTerm();

    /** Ends the current term and rejoins the election; false if this master did not lead. */
    boolean stepDown(String reason);

    /** Runs {@code listener} whenever a term begins or ends. */
    void addListener(Runnable listener);

    /** One period of leadership, with its fencing token. */
    interface Term {
        long token();

        /** Still the current term: checked again right before a fenced write. */
        boolean isValid();
    }
}
