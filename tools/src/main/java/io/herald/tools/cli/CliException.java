package io.herald.tools.cli;

/**
 * A failure the CLI reports as one line and an exit code, never as a stack trace: {@link #USAGE} (2)
 * for what the caller typed or configured, {@link #FAILED} (1) for what the server or the network answered.
 */
final class CliException extends RuntimeException {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    /** An error status from a node: its status and its own message, as one line. */
    static CliException server(int status, String message) {
        return new CliException(FAILED, "HTTP " + status + ": " + message);
    }

    int exitCode() {
        return exitCode;
    }
}
