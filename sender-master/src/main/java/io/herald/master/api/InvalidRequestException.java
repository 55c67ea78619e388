package io.herald.master.api;

import java.util.List;

/** Bad input: answered with {@code status} and a JSON body naming every offending field. */
public final class InvalidRequestException extends RuntimeException {
    private final int status;
    private final List<FieldError> errors;

    public InvalidRequestException(int status, List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.get(0).field() + ": " + errors.get(0).message(), null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequestException of(int status, String field, String message) {
        return new InvalidRequestException(status, List.of(new FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
