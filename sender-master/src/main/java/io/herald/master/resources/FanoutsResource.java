package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.FanoutView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.QueryParams;
import io.herald.master.auth.Caller;
import io.herald.master.db.FanoutStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.Optional;

/** The progress of a message sent to a topic: {@code GET /v1/fanouts/{id}}, for the application that sent it. */
@Path("/v1/fanouts")
@Produces(MediaType.APPLICATION_JSON)
public final class FanoutsResource {
    private final FanoutStore fanouts;

    public FanoutsResource(FanoutStore fanouts) {
        this.fanouts = fanouts;
    }

    @GET
    @Path("/{id}")
    public FanoutView get(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = QueryParams.messageId(id);
        return (parsed.isPresent() ? fanouts.find(caller.application(), parsed.get()) : Optional.<FanoutView>empty())
                .orElseThrow(() -> InvalidRequestException.of(404, "id", "no fan-out with id '" + id + "'"));
    }
}
