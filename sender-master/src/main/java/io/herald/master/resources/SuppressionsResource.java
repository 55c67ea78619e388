package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.common.model.Channel;
import io.herald.common.suppression.SuppressionList;
import io.herald.master.api.FieldError;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.QueryParams;
import io.herald.master.api.SuppressionPage;
import io.herald.master.api.SuppressionParser;
import io.herald.master.api.SuppressionView;
import io.herald.master.auth.Caller;
import io.herald.master.db.SuppressionStore;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An application's suppression list: listed with cursor paging, entries added (with an optional {@code expiresAt})
 * and removed. Every request sees and changes only its API key's application's list. The claim enforces it.
 */
@Path("/v1/suppressions")
@Produces(MediaType.APPLICATION_JSON)
public final class SuppressionsResource {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int HASH_BYTES = 32;

    private final SuppressionStore store;
    private final SuppressionParser parser;

    public SuppressionsResource(SuppressionStore store, SuppressionParser parser) {
        this.store = store;
        this.parser = parser;
    }

    /** A page of entries; {@code channel} and {@code target} together read one entry (a page of 0 or 1). */
    @GET
    public SuppressionPage list(@Auth Caller caller, @QueryParam("channel") String channel, @QueryParam("target") String target,
                                @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) throws SQLException {
        List<FieldError> errors = new ArrayList<>();
        Channel only = parser.queryChannel(channel, "channel", errors);
        String named = SuppressionParser.queryTarget(target, errors);
        if (named != null && channel == null) {
            errors.add(new FieldError("channel", "is required with target"));
        }
        Integer pageSize = QueryParams.intBetween("limit", limit, 1, MAX_LIMIT);
        SuppressionStore.Cursor after = decode(cursor, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(400, errors);
        }
        if (named != null) {
            return new SuppressionPage(store.find(caller.application(), only.wireName(), named).stream().toList(), null);
        }
        SuppressionStore.Page page = store.list(caller.application(), only == null ? null : only.wireName(), after,
                pageSize == null ? DEFAULT_LIMIT : pageSize);
        return new SuppressionPage(page.entries(), page.next() == null ? null : encode(page.next()));
    }

    /** Adds an entry, or replaces the one for the same channel and target. */
    @POST
    public SuppressionView add(@Auth Caller caller, InputStream body) throws IOException, SQLException {
        SuppressionParser.NewEntry entry = parser.parse(MessagesResource.read(body, MAX_BODY_BYTES));
        return store.add(new SuppressionList.Entry(caller.application(), entry.channel().wireName(), entry.target(), entry.reason(),
                SuppressionList.API, null, entry.ttl()));
    }

    /** Removes the entry for {@code channel} and {@code target}: messages claimed from now on go to it again. */
    @DELETE
    public Map<String, Boolean> remove(@Auth Caller caller, @QueryParam("channel") String channel, @QueryParam("target") String target)
            throws SQLException {
        List<FieldError> errors = new ArrayList<>();
        Channel named = parser.queryChannel(channel, "channel", errors);
        String listed = SuppressionParser.queryTarget(target, errors);
        if (channel == null) {
            errors.add(new FieldError("channel", "is required: ?channel=email&target=..."));
        }
        if (target == null) {
            errors.add(new FieldError("target", "is required: ?channel=email&target=..."));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(400, errors);
        }
        if (!store.remove(caller.application(), named.wireName(), listed)) {
            throw InvalidRequestException.of(404, "target", "no suppression entry for " + named.wireName() + " target '" + listed + "'");
        }
        return Map.of("removed", true);
    }

    private static String encode(SuppressionStore.Cursor cursor) {
        byte[] channel = cursor.channel().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(1 + channel.length + HASH_BYTES);
        bytes.put((byte) channel.length).put(channel).put(cursor.targetHash());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static SuppressionStore.Cursor decode(String cursor, List<FieldError> errors) {
        if (cursor == null) {
            return null;
        }
        try {
            byte[] bytes = cursor.length() > 128 ? new byte[0] : Base64.getUrlDecoder().decode(cursor);
            int channelBytes = bytes.length == 0 ? -1 : bytes[0];
            if (channelBytes > 0 && bytes.length == 1 + channelBytes + HASH_BYTES) {
                String channel = new String(bytes, 1, channelBytes, StandardCharsets.UTF_8);
                byte[] hash = java.util.Arrays.copyOfRange(bytes, 1 + channelBytes, bytes.length);
                return new SuppressionStore.Cursor(channel, hash);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        errors.add(new FieldError("cursor", "is not a cursor this API returned"));
        return null;
    }
}
