package io.herald.master.resources;

import io.herald.master.api.ErrorAnswers;
import io.herald.master.api.ErrorResponse;
import io.herald.master.api.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps Herald's exceptions to JSON answers without stack traces. */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {}

    public static final class InvalidRequest implements ExceptionMapper<InvalidRequestException> {
        /**
         * A 413 may leave the rest of the request body unread (it is not read past the limit): the
         * connection then cannot carry another request, and the client is told so.
         */
        @Override
        public Response toResponse(InvalidRequestException e) {
            Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorResponse.of(e));
            if (e.status() == 413) {
                response.header("Connection", "close");
            }
            return response.build();
        }
    }

    public static final class DatabaseUnavailable implements ExceptionMapper<SQLException> {
        @Override
        public Response toResponse(SQLException e) {
            return unavailable(e);
        }
    }

    /**
     * A constraint violation or bad data is about the request, not the database's health: a 4xx, so that
     * no client retries for ever. Everything else is the database being away: 503 with Retry-After.
     */
    private static Response unavailable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("23")) {
            LOG.info("a request conflicted with stored data: {}", e.getMessage());
            return ErrorAnswers.clientError(409, "conflicts with data already stored; nothing was stored");
        }
        if (state.startsWith("22")) {
            LOG.info("a request carried data the database refused: {}", e.getMessage());
            return ErrorAnswers.clientError(400, "holds a value the database cannot store; nothing was stored");
        }
        LOG.warn("database unavailable while serving a request: {}", e.getMessage());
        return ErrorAnswers.unavailable("database unavailable; nothing was stored, retry later");
    }
}
