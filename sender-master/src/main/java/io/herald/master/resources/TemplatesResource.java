package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.NewTemplate;
import io.herald.master.api.TemplateParser;
import io.herald.master.api.TemplateView;
import io.herald.master.auth.Caller;
import io.herald.master.db.TemplateStore;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/templates}: the caller's templates, one per channel and name. A message names a template
 * and its channel picks the variant, so {@code invoice-ready} can exist for email and for webhook.
 */
@Path("/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
public final class TemplatesResource {
    private final TemplateStore store;
    private final TemplateParser parser;

    public TemplatesResource(TemplateStore store, TemplateParser parser) {
        this.store = store;
        this.parser = parser;
    }

    @GET
    public Map<String, List<TemplateView>> list(@Auth Caller caller) throws SQLException {
        return Map.of("templates", store.list(caller.application()));
    }

    @GET
    @Path("/{channel}/{name}")
    public TemplateView get(@Auth Caller caller, @PathParam("channel") String channel, @PathParam("name") String name)
            throws SQLException {
        return store.find(caller.application(), channel, name).orElseThrow(() -> notFound(channel, name));
    }

    /** Creates (201) or replaces (200) a template; answers with it as stored. */
    @PUT
    @Path("/{channel}/{name}")
    public Response put(@Auth Caller caller, @PathParam("channel") String channel, @PathParam("name") String name,
                        InputStream body) throws IOException, SQLException {
        NewTemplate template = parser.parse(channel, name, MessagesResource.read(body, MessagesResource.MAX_SINGLE_REQUEST_BYTES));
        boolean created = store.save(caller.application(), template);
        TemplateView view = store.find(caller.application(), channel, name).orElseThrow(() -> notFound(channel, name));
        return created
                ? Response.created(UriBuilder.fromPath("/v1/templates/{channel}/{name}").build(channel, name)).entity(view).build()
                : Response.ok(view).build();
    }

    @DELETE
    @Path("/{channel}/{name}")
    public Response delete(@Auth Caller caller, @PathParam("channel") String channel, @PathParam("name") String name)
            throws SQLException {
        if (!store.delete(caller.application(), channel, name)) {
            throw notFound(channel, name);
        }
        return Response.noContent().build();
    }

    private static InvalidRequestException notFound(String channel, String name) {
        return InvalidRequestException.of(404, "name", "no template '" + name + "' for channel '" + channel + "'");
    }
}
