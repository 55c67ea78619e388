package io.herald.master.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import io.herald.master.api.ErrorResponse;
import io.herald.master.api.FieldError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** A missing, malformed, unknown or revoked key: 401 with Herald's JSON error body naming the header. */
final class JsonUnauthorizedHandler implements UnauthorizedHandler {
    static final String MESSAGE = "a valid API key is required: send 'Authorization: Bearer <key>' (keys come from the app-create admin task)";

    @Override
    public Response buildResponse(String prefix, String realm) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                // The body of a refused request is never read. Without this, Jetty may find part of it
                // still unread after the answer went out and drop the connection silently, and a client
                // that pools connections sends its next request into the closed one.
                .header("Connection", "close")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(401, MESSAGE, "Authorization", List.of(new FieldError("Authorization", MESSAGE))))
                .build();
    }
}
