package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.QueryParams;
import io.herald.master.api.SubscriberPage;
import io.herald.master.api.TopicNames;
import io.herald.master.api.TopicParser;
import io.herald.master.api.TopicView;
import io.herald.master.auth.Caller;
import io.herald.master.core.SubscriberBulk;
import io.herald.master.db.Topics;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An application's topics and their subscribers. A message sent with {@code topic} instead of {@code target}
 * goes to each subscriber on its channel ({@link FanoutsResource} reports its progress).
 */
@Path("/v1/topics/{name}")
@Produces(MediaType.APPLICATION_JSON)
public record TopicsResource(Topics topics, TopicParser parser, SubscriberBulk bulk) {
    /** A PUT's body: a description of at most 1,024 characters and its JSON. */
    private static final int MAX_TOPIC_BYTES = 8 * 1024;
    private static final int MAX_PAGE = 1_000;
    private static final int DEFAULT_PAGE = 100;

    /** Creates the topic (201) or sets its description (200). */
    @PUT
    public Response put(@Auth Caller caller, @PathParam("name") String name, InputStream body) throws IOException, SQLException {
        String topic = TopicNames.require(name);
        String description = parser.description(MessagesResource.read(body, MAX_TOPIC_BYTES));
        boolean created = topics.put(caller.application(), topic, description);
        return Response.status(created ? 201 : 200).entity(find(caller, topic)).build();
    }

    @GET
    public TopicView get(@Auth Caller caller, @PathParam("name") String name) throws SQLException {
        return find(caller, TopicNames.require(name));
    }

    /** Deletes the topic with its subscribers; fan-outs under way end with what they created. */
    @DELETE
    public Map<String, Object> delete(@Auth Caller caller, @PathParam("name") String name) throws SQLException {
        String topic = TopicNames.require(name);
        long removed = topics.delete(caller.application(), topic).orElseThrow(() -> notFound(topic));
        return answer("name", topic, "deleted", true, "subscribersRemoved", removed);
    }

    /** Adds subscribers: JSON lines, or a JSON array, of {@code {"channel", "target", "recipient"}}; at most 100,000. */
    @POST
    @Path("/subscribers")
    public Map<String, Object> subscribe(@Auth Caller caller, @PathParam("name") String name, InputStream body)
            throws IOException, SQLException {
        return changeSubscribers(caller, name, body, bulk::add, "added");
    }

    /** Removes subscribers named by channel and target, in the same formats. */
    @POST
    @Path("/subscribers/remove")
    public Map<String, Object> unsubscribe(@Auth Caller caller, @PathParam("name") String name, InputStream body)
            throws IOException, SQLException {
        return changeSubscribers(caller, name, body, bulk::remove, "removed");
    }

    /** A page of subscribers, oldest first; {@code cursor} is the last page's {@code next}. */
    @GET
    @Path("/subscribers")
    public SubscriberPage subscribers(@Auth Caller caller, @PathParam("name") String name, @QueryParam("limit") String limit,
                                      @QueryParam("cursor") String cursor) throws SQLException {
        String topic = requireTopic(caller, name);
        Integer size = QueryParams.intBetween("limit", limit, 1, MAX_PAGE);
        long after = cursor == null ? 0 : QueryParams.messageId(cursor)
                .orElseThrow(() -> InvalidRequestException.of(400, "cursor", "must be a page's next cursor, as given"));
        return topics.page(caller.application(), topic, after, size == null ? DEFAULT_PAGE : size);
    }

    /** {@link SubscriberBulk#add} or {@link SubscriberBulk#remove}. */
    private interface BulkChange {
        SubscriberBulk.Result apply(String application, String topic, InputStream body) throws IOException, SQLException;
    }

    /** Applies {@code change} to the topic's subscribers; the answer counts what it did as {@code changed}. */
    private Map<String, Object> changeSubscribers(Caller caller, String name, InputStream body, BulkChange change, String changed)
            throws IOException, SQLException {
        String topic = requireTopic(caller, name);
        SubscriberBulk.Result result = change.apply(caller.application(), topic, body);
        return answer("topic", topic, "read", result.read(), changed, result.changed(), "subscribers", find(caller, topic).subscribers());
    }

    private String requireTopic(Caller caller, String name) throws SQLException {
        String topic = TopicNames.require(name);
        if (!topics.exists(caller.application(), topic)) {
            throw notFound(topic);
        }
        return topic;
    }

    private TopicView find(Caller caller, String topic) throws SQLException {
        return topics.find(caller.application(), topic).orElseThrow(() -> notFound(topic));
    }

    private static InvalidRequestException notFound(String topic) {
        return InvalidRequestException.of(404, "name", "no topic '" + topic + "'; create it with PUT /v1/topics/" + topic);
    }

    private static Map<String, Object> answer(Object... pairs) {
        Map<String, Object> answer = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            answer.put((String) pairs[i], pairs[i + 1]);
        }
        return answer;
    }
}
