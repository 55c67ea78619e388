package io.herald.master.resources;

import io.herald.master.api.ErrorResponse;
import io.herald.master.api.FieldError;
import io.herald.master.api.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps Herald's exceptions to JSON answers without stack traces. */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {}

    public static final class InvalidRequest implements ExceptionMapper<InvalidRequestException> {
        @Override
        public Response toResponse(InvalidRequestException e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorResponse.of(e)).build();
        }
    }

    public static final class DatabaseUnavailable implements ExceptionMapper<SQLException> {
        @Override
        public Response toResponse(SQLException e) {
            return unavailable(e);
        }
    }

    private static Response unavailable(SQLException e) {
        LOG.warn("database unavailable while serving a request: {}", e.getMessage());
        return unavailable("database unavailable; nothing was stored, retry later");
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
