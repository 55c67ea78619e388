package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.FanoutCancellation;
import io.herald.master.api.FanoutView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.QueryParams;
import io.herald.master.auth.Caller;
import io.herald.master.db.FanoutCancels;
import io.herald.master.db.FanoutStore;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A message sent to a topic, for the application that sent it: its progress ({@code GET /v1/fanouts/{id}}), and
 * cancelling it ({@code DELETE}). Another application's fan-out is 404, as if it did not exist.
 */
@Path("/v1/fanouts")
@Produces(MediaType.APPLICATION_JSON)
public final class FanoutsResource {
    private final FanoutStore fanouts;
    private final FanoutCancels cancels;

    public FanoutsResource(FanoutStore fanouts, FanoutCancels cancels) {
        this.fanouts = fanouts;
        this.cancels = cancels;
    }

    @GET
    @Path("/{id}")
    public FanoutView get(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = QueryParams.messageId(id);
        return (parsed.isPresent() ? fanouts.find(caller.application(), parsed.get()) : Optional.<FanoutView>empty())
                .orElseThrow(() -> notFound(id));
    }

    /**
     * Stops a fan-out still creating its messages and cancels those no worker holds yet (queued or scheduled);
     * 200 with the counts. One already done cancels whatever of it is queued again. Cancelling twice is safe.
     */
    @DELETE
    @Path("/{id}")
    public FanoutCancellation cancel(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = QueryParams.messageId(id);
        return (parsed.isPresent() ? cancels.cancel(caller.application(), parsed.get()) : Optional.<FanoutCancellation>empty())
                .orElseThrow(() -> notFound(id));
    }

    private static InvalidRequestException notFound(String id) {
        return InvalidRequestException.of(404, "id", "no fan-out with id '" + id + "'");
    }
}
