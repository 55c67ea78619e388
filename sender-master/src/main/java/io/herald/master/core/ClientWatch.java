package io.herald.master.core;

/**
 * Tells the owner of a suspended request that its client has gone, so that what the request holds (a
 * status waiter's slot) is freed at once rather than when its wait runs out.
 */
public interface ClientWatch {
    /** A watch that never reports: for a request whose transport cannot tell (or a test's fake). */
    ClientWatch NONE = new ClientWatch() {
        @Override
        public void start(Runnable onGone) {
        }

        @Override
        public void stop() {
        }
    };

    /** Starts watching; {@code onGone} runs at most once, on any thread, if the client goes before {@link #stop}. */
    void start(Runnable onGone);

    /**
     * Stops watching. Called before the request is answered, so the watch no longer holds the
     * connection's read side when the server wants it back for the next request. Idempotent.
     */
    void stop();
}
