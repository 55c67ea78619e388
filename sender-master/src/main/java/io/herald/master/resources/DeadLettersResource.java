package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.DeadLetterFilter;
import io.herald.master.api.DeadLetterPage;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.QueryParams;
import io.herald.master.auth.Caller;
import io.herald.master.db.DeadLetterStore;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Dead letters: messages that failed permanently or used up their retries. Listed oldest first with
 * cursor paging; requeued or purged by id and age ({@code olderThan}). Every request sees and changes
 * only the dead letters of its API key's application; another application's ids match nothing.
 */
@Path("/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public final class DeadLettersResource {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    /** The most one requeue or purge request changes when it names a {@code limit}; without one, every match. */
    public static final int MAX_CHANGE_LIMIT = 100_000;

    private final DeadLetterStore store;
    private final Runnable onRequeued;

    public DeadLettersResource(DeadLetterStore store, Runnable onRequeued) {
        this.store = store;
        this.onRequeued = onRequeued;
    }

    @GET
    public DeadLetterPage list(@Auth Caller caller, @QueryParam("application") String application,
                               @QueryParam("olderThan") String olderThan, @QueryParam("limit") String limit,
                               @QueryParam("cursor") String cursor) throws SQLException {
        DeadLetterFilter filter = scoped(caller, DeadLetterFilter.parse(List.of(), application, olderThan));
        Integer pageSize = QueryParams.intBetween("limit", limit, 1, MAX_LIMIT);
        DeadLetterStore.Page page = store.list(filter, decode(cursor), pageSize == null ? DEFAULT_LIMIT : pageSize);
        return new DeadLetterPage(page.items(), page.next() == null ? null : encode(page.next()));
    }

    @POST
    @Path("/requeue")
    public Map<String, Integer> requeue(@Auth Caller caller, @QueryParam("id") List<String> ids,
                                        @QueryParam("application") String application,
                                        @QueryParam("olderThan") String olderThan,
                                        @QueryParam("limit") String limit) throws SQLException {
        DeadLetterFilter filter = scoped(caller, DeadLetterFilter.parseSelection(ids, application, olderThan));
        int requeued = store.requeue(filter, "dead letter requeued through the API", changeLimit(limit));
        onRequeued.run();
        return Map.of("requeued", requeued);
    }

    @DELETE
    public Map<String, Integer> purge(@Auth Caller caller, @QueryParam("id") List<String> ids,
                                      @QueryParam("application") String application,
                                      @QueryParam("olderThan") String olderThan,
                                      @QueryParam("limit") String limit) throws SQLException {
        DeadLetterFilter filter = scoped(caller, DeadLetterFilter.parseSelection(ids, application, olderThan));
        return Map.of("purged", store.purge(filter, "dead letter purged through the API", changeLimit(limit)));
    }

    /** {@code limit} of a requeue or purge: the oldest that many at most (1 to 100,000); absent, every match. */
    public static int changeLimit(String limit) {
        Integer max = QueryParams.intBetween("limit", limit, 1, MAX_CHANGE_LIMIT);
        return max == null ? Integer.MAX_VALUE : max;
    }

    /** {@code application} may only repeat the caller's own; the filter is always narrowed to it. */
    private static DeadLetterFilter scoped(Caller caller, DeadLetterFilter filter) {
        if (filter.application() != null && !filter.application().equals(caller.application())) {
            throw InvalidRequestException.of(400, "application",
                    "must be this API key's own application ('" + caller.application() + "') or left out");
        }
        return filter.withApplication(caller.application());
    }

    /** The cursor is opaque to callers: the last dead letter's time and id, base64url-encoded. */
    public static String encode(DeadLetterStore.Cursor cursor) {
        String plain = cursor.deadAt().toEpochMilli() + "." + cursor.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static DeadLetterStore.Cursor decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.", -1);
            if (parts.length == 2) {
                return new DeadLetterStore.Cursor(Instant.ofEpochMilli(Long.parseLong(parts[0])), Long.parseLong(parts[1]));
            }
        } catch (IllegalArgumentException e) {
            // answered below; NumberFormatException is one of these
        }
        throw InvalidRequestException.of(400, "cursor", "must be a nextCursor from an earlier page, not '" + cursor + "'");
    }
}
