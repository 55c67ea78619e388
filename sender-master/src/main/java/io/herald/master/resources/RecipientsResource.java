package io.herald.master.resources;

import io.dropwizard.auth.Auth;
import io.herald.master.api.ImportView;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.Names;
import io.herald.master.api.OptOut;
import io.herald.master.api.Preferences;
import io.herald.master.api.PreferencesParser;
import io.herald.master.auth.Caller;
import io.herald.master.core.PreferenceImport;
import io.herald.master.db.RecipientImports;
import io.herald.master.db.Recipients;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;

/**
 * Recipients' preferences, per application: read and set one recipient's opt-outs, and import many from
 * JSON lines or CSV with progress another request can watch. The claim applies them ({@code db.OptOuts}).
 */
@Path("/v1/recipients")
@Produces(MediaType.APPLICATION_JSON)
public record RecipientsResource(Recipients recipients, RecipientImports imports, PreferencesParser parser) {
    private static final int MAX_IMPORT_ID_CHARS = 128;
    /** A PUT's body: one recipient's lists. */
    private static final int MAX_PREFERENCES_BYTES = 64 * 1024;

    @GET
    @Path("/preferences")
    public Preferences get(@Auth Caller caller, @QueryParam("recipient") String recipient) throws SQLException {
        String checked = PreferencesParser.recipient(recipient);
        return new Preferences(checked, recipients.get(caller.application(), checked));
    }

    /** Replaces the recipient's opt-outs; {@code {"optOut": {}}} clears them. */
    @PUT
    @Path("/preferences")
    public Preferences put(@Auth Caller caller, @QueryParam("recipient") String recipient, InputStream body)
            throws IOException, SQLException {
        String checked = PreferencesParser.recipient(recipient);
        OptOut optOut = parser.parseOne(MessagesResource.read(body, MAX_PREFERENCES_BYTES));
        recipients.set(caller.application(), List.of(new Preferences(checked, optOut)));
        return new Preferences(checked, recipients.get(caller.application(), checked));
    }

    /**
     * Imports JSON lines, {@code {"recipient": "...", "optOut": {...}}} each, or with {@code Content-Type: text/csv}
     * CSV rows under a header row ({@code recipient,all,channels,categories}); answers when it is done.
     */
    @POST
    @Path("/imports/{id}")
    public ImportView importLines(@Auth Caller caller, @PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
                                  InputStream body) throws IOException, SQLException {
        // An import holds nothing of its own but these three, so each request makes its own.
        new PreferenceImport(recipients, imports, parser).run(caller.application(), importId(id), body,
                isCsv(type) ? PreferenceImport.Format.CSV : PreferenceImport.Format.JSON_LINES);
        return imports.find(caller.application(), id).orElseThrow();
    }

    @GET
    @Path("/imports/{id}")
    public ImportView importProgress(@Auth Caller caller, @PathParam("id") String id) throws SQLException {
        return imports.find(caller.application(), importId(id))
                .orElseThrow(() -> InvalidRequestException.of(404, "id", "no import with id '" + id + "'"));
    }

    /** {@code text/csv}, with parameters (charset) or without, in any case. */
    static boolean isCsv(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("text/csv");
    }

    private static String importId(String id) {
        if (!Names.isName(id, MAX_IMPORT_ID_CHARS)) {
            throw InvalidRequestException.of(400, "id", Names.rule(MAX_IMPORT_ID_CHARS));
        }
        return id;
    }
}
