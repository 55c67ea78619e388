package io.herald.master.api;

import java.util.List;

/**
 * The body of every 4xx answer: {@code field} names the first offending field (null when the problem
 * is the request as a whole, such as malformed JSON), {@code errors} lists them all.
 */
public record ErrorResponse(int code, String message, String field, List<FieldError> errors) {
    public static ErrorResponse of(InvalidRequestException e) {
        FieldError first = e.errors().get(0);
        return new ErrorResponse(e.status(), e.getMessage(), first.field(), e.errors());
    }
}
