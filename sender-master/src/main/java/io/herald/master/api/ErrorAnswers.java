package io.herald.master.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The JSON error answers that the resources, the exception mappers and the request filters share, so a
 * filter needs nothing from {@code resources}.
 */
public final class ErrorAnswers {
    private ErrorAnswers() {}

    /** A 4xx about the request as a whole. */
    public static Response clientError(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(status, "$: " + message, "$", List.of(new FieldError("$", message))))
                .build();
    }

    /** 429 with {@code Retry-After} (seconds) and the JSON error body. */
    public static Response tooManyRequests(String message, long retryAfterSeconds) {
        return Response.status(429)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", Long.toString(retryAfterSeconds))
                .entity(new ErrorResponse(429, message, "$", List.of(new FieldError("$", message))))
                .build();
    }

    /** 503 with {@code Retry-After} and the JSON error body. */
    public static Response unavailable(String message) {
        return Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", "1")
                .entity(new ErrorResponse(503, message, null, List.of(new FieldError("$", message))))
                .build();
    }
}
