package io.herald.common.tasks;

/** Bad input to an admin task: answered with 400 and this message. */
public final class TaskInputException extends RuntimeException {
    public TaskInputException(String message) {
        super(message, null, false, false);
    }
}
