package io.herald.master.console;

import io.herald.master.api.EventList;
import io.herald.master.api.DeadLetterFilter;
import io.herald.master.api.DeadLetterPage;
import io.herald.master.api.EventView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.MessageParser;
import io.herald.master.api.QueryParams;
import io.herald.master.db.ApplicationStore;
import io.herald.master.db.ConsoleMessageStore;
import io.herald.master.db.DeadLetterStore;
import io.herald.master.db.MessageStore;
import io.herald.master.resources.DeadLettersResource;
import io.herald.master.tasks.ApplicationPolicyTask;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's reads of messages, across applications: one message with its audit trail (by id, or by
 * application and idempotency key), dead letters and unknown messages with filters, and an
 * application's delivery policy. Requeue, purge and policy changes are the admin tasks', which the
 * page calls itself.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ConsoleMessagesResource {
    public record Found(ConsoleMessageStore.Detail message, List<EventView> events) {}

    public record UnknownPage(List<ConsoleMessageStore.Detail> unknown, Long nextAfter) {}

    public record Policy(String application, Map<String, List<ApplicationPolicyTask.SettingView>> tasks) {}

    private static final Duration MAX_AGE = Duration.ofDays(3_650);

    private final ConsoleMessageStore store;
    private final MessageStore messages;
    private final DeadLetterStore deadLetters;
    private final ApplicationStore applications;
    private final List<ApplicationPolicyTask> policyTasks;

    public ConsoleMessagesResource(ConsoleMessageStore store, MessageStore messages, DeadLetterStore deadLetters,
                                   ApplicationStore applications, List<ApplicationPolicyTask> policyTasks) {
        this.store = store;
        this.messages = messages;
        this.deadLetters = deadLetters;
        this.applications = applications;
        this.policyTasks = List.copyOf(policyTasks);
    }

    @GET
    @Path("messages/{id}")
    public Found byId(@PathParam("id") String id) throws SQLException {
        long messageId = QueryParams.messageId(id).orElseThrow(() -> InvalidRequestException.of(400, "id",
                "must be a message id (digits, no sign or leading zero), not '" + id + "'"));
        return found(store.find(messageId).orElseThrow(() -> InvalidRequestException.of(404, "id", "no message " + id)));
    }

    @GET
    @Path("messages")
    public Found byKey(@QueryParam("application") String application, @QueryParam("idempotencyKey") String key) throws SQLException {
        String app = required("application", QueryParams.text("application", application, MessageParser.MAX_APPLICATION_CHARS));
        String idempotencyKey = required("idempotencyKey", QueryParams.text("idempotencyKey", key, MessageParser.MAX_IDEMPOTENCY_KEY_CHARS));
        return found(store.findByKey(app, idempotencyKey).orElseThrow(() -> InvalidRequestException.of(404, "idempotencyKey",
                "application '" + app + "' has no message with this idempotency key")));
    }

    @GET
    @Path("dead-letters")
    public DeadLetterPage deadLetters(@QueryParam("application") String application, @QueryParam("olderThan") String olderThan,
                                      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) throws SQLException {
        DeadLetterFilter filter = DeadLetterFilter.parse(List.of(), application, olderThan);
        Integer pageSize = QueryParams.intBetween("limit", limit, 1, DeadLettersResource.MAX_LIMIT);
        DeadLetterStore.Page page = deadLetters.list(filter, DeadLettersResource.decode(cursor),
                pageSize == null ? DeadLettersResource.DEFAULT_LIMIT : pageSize);
        return new DeadLetterPage(page.items(), page.next() == null ? null : DeadLettersResource.encode(page.next()));
    }

    @GET
    @Path("unknown")
    public UnknownPage unknown(@QueryParam("application") String application, @QueryParam("olderThan") String olderThan,
                               @QueryParam("limit") String limit, @QueryParam("after") String after) throws SQLException {
        String app = QueryParams.text("application", application, MessageParser.MAX_APPLICATION_CHARS);
        Duration age = QueryParams.duration("olderThan", olderThan, MAX_AGE);
        Integer pageSize = QueryParams.intBetween("limit", limit, 1, DeadLettersResource.MAX_LIMIT);
        int size = pageSize == null ? DeadLettersResource.DEFAULT_LIMIT : pageSize;
        long afterId = after == null ? 0 : QueryParams.ids("after", List.of(after)).get(0);
        List<ConsoleMessageStore.Detail> page = store.unknown(app, age, afterId, size);
        return new UnknownPage(page, page.size() < size ? null : page.get(page.size() - 1).id());
    }

    @GET
    @Path("policy")
    public Policy policy(@QueryParam("application") String application) throws SQLException {
        String app = required("application", QueryParams.text("application", application, MessageParser.MAX_APPLICATION_CHARS));
        if (!applications.exists(app)) {
            throw InvalidRequestException.of(404, "application", "no application named '" + app + "'");
        }
        Map<String, List<ApplicationPolicyTask.SettingView>> tasks = new LinkedHashMap<>();
        for (ApplicationPolicyTask task : policyTasks) {
            tasks.put(task.getName(), task.view(app));
        }
        return new Policy(app, tasks);
    }

    private Found found(ConsoleMessageStore.Detail message) throws SQLException {
        return new Found(message, messages.events(message.application(), message.id()).map(EventList::events).orElse(List.of()));
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw InvalidRequestException.of(400, field, "is required");
        }
        return value;
    }
}
