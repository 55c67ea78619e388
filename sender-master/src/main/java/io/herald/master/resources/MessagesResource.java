package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.EventList;
import io.herald.master.api.EventView;
import io.herald.master.api.FieldError;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.MessageParser;
import io.herald.master.api.MessageView;
import io.herald.master.api.NewMessage;
import io.herald.master.api.SubmitResult;
import io.herald.master.auth.Caller;
import io.herald.master.db.MessageStore;
import io.herald.master.db.TemplateStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The message API every master serves. Messages are stored here; only the leader dispatches them. Every
 * request acts for the application of its API key and sees only that application's messages.
 */
@Path("/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
public final class MessagesResource {
    /** One message: its body (64 KiB) plus generous room for the other fields and JSON escaping. */
    static final int MAX_SINGLE_REQUEST_BYTES = 512 * 1024;
    static final int MAX_BATCH_REQUEST_BYTES = MessageParser.MAX_BATCH * MAX_SINGLE_REQUEST_BYTES / 4;

    private final MessageStore store;
    private final TemplateStore templates;
    private final MessageParser parser;
    private final Runnable onSubmitted;

    public MessagesResource(MessageStore store, TemplateStore templates, MessageParser parser, Runnable onSubmitted) {
        this.store = store;
        this.templates = templates;
        this.parser = parser;
        this.onSubmitted = onSubmitted;
    }

    @POST
    public Response submit(@Auth Caller caller, InputStream body) throws IOException, SQLException {
        NewMessage message = parser.parseOne(read(body, MAX_SINGLE_REQUEST_BYTES), caller.application());
        requireTemplates(caller, List.of(message), "");
        SubmitResult result = store.submit(List.of(message)).get(0);
        onSubmitted.run();
        return Response.accepted(result).location(location(result.id())).build();
    }

    @POST
    @Path("/batch")
    public Response submitBatch(@Auth Caller caller, InputStream body) throws IOException, SQLException {
        List<NewMessage> messages = parser.parseBatch(read(body, MAX_BATCH_REQUEST_BYTES), caller.application());
        requireTemplates(caller, messages, "[%d].");
        List<SubmitResult> results = store.submit(messages);
        onSubmitted.run();
        return Response.accepted(results).build();
    }

    @GET
    @Path("/{id}")
    public MessageView get(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = parseId(id);
        // Another application's message is answered exactly like a missing one: its existence is not theirs to know.
        Optional<MessageView> view = parsed.isPresent() ? store.find(caller.application(), parsed.get()) : Optional.empty();
        return view.orElseThrow(() -> notFound(id));
    }

    @GET
    @Path("/{id}/events")
    public EventList events(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = parseId(id);
        Optional<List<EventView>> events = parsed.isPresent() ? store.events(caller.application(), parsed.get()) : Optional.empty();
        return new EventList(parsed.orElse(0L), events.orElseThrow(() -> notFound(id)));
    }

    private static InvalidRequestException notFound(String id) {
        return InvalidRequestException.of(404, "id", "no message with id '" + id + "'");
    }

    /**
     * Refuses messages that name a template the application does not have for their channel. The
     * worker renders at send time; a template deleted in between fails the message then.
     */
    private void requireTemplates(Caller caller, List<NewMessage> messages, String prefixFormat) throws SQLException {
        Set<TemplateStore.Key> named = new HashSet<>();
        messages.stream().filter(m -> m.template() != null).forEach(m -> named.add(key(m)));
        Set<TemplateStore.Key> existing = templates.existing(caller.application(), named);
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage m = messages.get(i);
            if (m.template() != null && !existing.contains(key(m))) {
                errors.add(new FieldError(prefixFormat.formatted(i) + "template",
                        "no template '" + m.template() + "' for channel '" + m.channel().wireName() + "'; create it with PUT /v1/templates/"
                                + m.channel().wireName() + "/" + m.template()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(400, errors);
        }
    }

    private static TemplateStore.Key key(NewMessage m) {
        return new TemplateStore.Key(m.channel().wireName(), m.template());
    }

    private static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static URI location(long id) {
        return UriBuilder.fromPath("/v1/messages/{id}").build(id);
    }

    static byte[] read(InputStream body, int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw InvalidRequestException.of(413, "$", "request body is larger than " + limit + " bytes");
        }
        return bytes;
    }
}
