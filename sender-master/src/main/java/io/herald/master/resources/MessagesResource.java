package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.common.model.MessageStatus;
import io.herald.master.api.ErrorAnswers;
import io.herald.master.api.EventList;
import io.herald.master.api.FieldError;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.MessageParser;
import io.herald.master.api.MessageView;
import io.herald.master.api.NewMessage;
import io.herald.common.trace.Traceparent;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import io.herald.master.api.QueryParams;
import io.herald.master.api.SubmitResult;
import io.herald.master.auth.Caller;
import io.herald.master.core.StatusWaiter;
import io.herald.master.db.CancelStore;
import io.herald.master.db.FanoutStore;
import io.herald.master.api.FanoutResult;
import io.herald.master.db.QueuePositions;
import io.herald.master.db.MessageStore;
import io.herald.master.db.TemplateStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    /** The longest {@code wait} a status request may ask for. */
    static final int MAX_WAIT_SECONDS = 60;

    private final MessageStore store;
    private final CancelStore cancels;
    private final TemplateStore templates;
    private final MessageParser parser;
    private final StatusWaiter waiter;
    private final Runnable onSubmitted;
    private final FanoutStore fanouts;
    private final Runnable onFanout;
    /** A batch's body, counted after decompression as it is read ({@code api.maxRequestBytes}). */
    private final int maxBatchRequestBytes;

    private final QueuePositions positions;

    public MessagesResource(MessageStore store, CancelStore cancels, TemplateStore templates, MessageParser parser, StatusWaiter waiter,
                            QueuePositions positions, Runnable onSubmitted, long maxRequestBytes, FanoutStore fanouts,
                            Runnable onFanout) {
        this.fanouts = fanouts;
        this.onFanout = onFanout;
        this.cancels = cancels;
        this.positions = positions;
        this.maxBatchRequestBytes = (int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes);
        this.store = store;
        this.templates = templates;
        this.parser = parser;
        this.waiter = waiter;
        this.onSubmitted = onSubmitted;
    }

    @POST
    public Response submit(@Auth Caller caller, @Context HttpHeaders headers, InputStream body) throws IOException, SQLException {
        MessageParser.Addressed addressed = parser.parseAddressed(read(body, MAX_SINGLE_REQUEST_BYTES), caller.application());
        NewMessage message = addressed.message();
        requireTemplates(caller, List.of(message), "");
        if (addressed.topic() != null) {
            // One message per subscriber, created by the leader's fan-out loop; the answer names the parent record.
            FanoutResult fanout = fanouts.submit(message, addressed.topic(), traceparent(headers));
            onFanout.run();
            return Response.accepted(fanout).location(UriBuilder.fromPath("/v1/fanouts/{id}").build(fanout.fanoutId())).build();
        }
        SubmitResult result = store.submit(List.of(message), "", traceparent(headers)).get(0);
        onSubmitted.run();
        return Response.accepted(result).location(location(result.id())).build();
    }

    @POST
    @Path("/batch")
    public Response submitBatch(@Auth Caller caller, @Context HttpHeaders headers, InputStream body) throws IOException, SQLException {
        List<NewMessage> messages = parser.parseBatch(read(body, maxBatchRequestBytes), caller.application());
        requireTemplates(caller, messages, "[%d].");
        List<SubmitResult> results = store.submit(messages, "[%d].", traceparent(headers));
        onSubmitted.run();
        return Response.accepted(results).build();
    }

    /**
     * The request's W3C traceparent, kept with its messages and sent on their webhooks; none when it is
     * absent, invalid, or given more than once (the specification's rule: ignored, not refused).
     */
    private static String traceparent(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader("traceparent");
        return values == null || values.size() != 1 ? null : Traceparent.parse(values.get(0));
    }

    /**
     * The message's status. With {@code wait} (a duration up to {@value #MAX_WAIT_SECONDS}s), the answer
     * waits until the message reaches a final status or the wait runs out, and then gives the current
     * status (200 either way). A waiting request is suspended and holds no thread; one poller per master
     * answers them all ({@link StatusWaiter}). An immediate answer for a queued or scheduled message says
     * where it stands in its application's queue ({@link QueuePositions}).
     */
    @GET
    @Path("/{id}")
    public void get(@Auth Caller caller, @PathParam("id") String id, @QueryParam("wait") String wait,
                    @Context HttpServletRequest request, @Suspended AsyncResponse response) {
        try {
            Duration waitFor = QueryParams.duration("wait", wait, Duration.ofSeconds(MAX_WAIT_SECONDS));
            Optional<Long> parsed = QueryParams.messageId(id);
            // Another application's message is answered exactly like a missing one: its existence is not theirs to know.
            MessageView view = (parsed.isPresent() ? store.find(caller.application(), parsed.get()) : Optional.<MessageView>empty())
                    .orElseThrow(() -> notFound(id));
            boolean done = MessageStatus.find(view.status()).map(MessageStatus::isTerminal).orElse(false);
            if (waitFor == null || waitFor.isZero() || done) {
                response.resume(withPosition(caller.application(), view));
            } else {
                switch (waiter.await(caller.application(), view.id(), waitFor, response, JettyClientWatch.of(request))) {
                    case FULL -> response.resume(ErrorAnswers.unavailable("too many requests are waiting on this master; retry, or ask without wait"));
                    case APPLICATION_FULL -> response.resume(ErrorAnswers.tooManyRequests(
                            "this application already has as many status requests waiting on this master as it may"
                                    + " (api.maxStatusWaitersPerApplication); ask without wait, or wait for one to finish", 1));
                    case WAITING -> { }
                }
            }
        } catch (SQLException | RuntimeException e) {
            response.resume(e);
        }
    }

    private MessageView withPosition(String application, MessageView view) throws SQLException {
        boolean waiting = view.status().equals(MessageStatus.QUEUED.wireName()) || view.status().equals(MessageStatus.SCHEDULED.wireName());
        return waiting ? positions.of(application, view.id()).map(view::at).orElse(view) : view;
    }

    /**
     * Cancels one queued or scheduled message: 200 with its status {@code cancelled} (again, if it already
     * was), 409 naming {@code id} if it is past that (dispatched, sent, ...), 404 if it is not the caller's.
     */
    @DELETE
    @Path("/{id}")
    public CancelStore.Outcome cancel(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = QueryParams.messageId(id);
        CancelStore.Outcome outcome = (parsed.isPresent() ? cancels.cancel(caller.application(), parsed.get())
                : Optional.<CancelStore.Outcome>empty()).orElseThrow(() -> notFound(id));
        if (!outcome.cancelled()) {
            throw InvalidRequestException.of(409, "id", "message " + id + " is " + outcome.status()
                    + "; only a queued or scheduled message can be cancelled");
        }
        return outcome;
    }

    /** Cancels every queued or scheduled message with this {@code cancelKey}: {@code {"cancelled": n}}. */
    @DELETE
    public Map<String, Integer> cancelByKey(@Auth Caller caller, @QueryParam("cancelKey") String cancelKey) throws SQLException {
        List<FieldError> errors = new ArrayList<>();
        if (cancelKey == null) {
            errors.add(new FieldError("cancelKey", "is required: DELETE /v1/messages?cancelKey=<key> (one message: DELETE /v1/messages/{id})"));
        }
        MessageParser.checkKey(cancelKey, "cancelKey", errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(400, errors);
        }
        return Map.of("cancelled", cancels.cancelByKey(caller.application(), cancelKey));
    }

    @GET
    @Path("/{id}/events")
    public EventList events(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        Optional<Long> parsed = QueryParams.messageId(id);
        Optional<EventList> events = parsed.isPresent() ? store.events(caller.application(), parsed.get()) : Optional.empty();
        return events.orElseThrow(() -> notFound(id));
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

    private static URI location(long id) {
        return UriBuilder.fromPath("/v1/messages/{id}").build(id);
    }

    /**
     * Reads at most {@code limit} bytes of the body as the application sees it (after gzip is inflated),
     * and stops there: one byte past it is a 413 and the rest is never read.
     */
    static byte[] read(InputStream body, int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw InvalidRequestException.of(413, "$", "request body is larger than " + limit + " bytes (after decompression)");
        }
        return bytes;
    }
}
