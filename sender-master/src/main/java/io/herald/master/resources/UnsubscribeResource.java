package io.herald.master.resources;

import io.herald.common.html.Html;
import io.herald.common.model.Channel;
import io.herald.common.unsubscribe.UnsubscribeToken;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.auth.PublicEndpoint;
import io.herald.master.db.Recipients;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;

/**
 * One-click unsubscribe (RFC 8058), served without an API key: the signed token in the link is the
 * credential, and names exactly who is opted out of what. {@code POST} (what a mail client sends, {@code
 * List-Unsubscribe=One-Click}, and the confirmation page's form) records the opt-out, idempotently; {@code
 * GET} only shows that page, because mail scanners follow links and must not unsubscribe anyone. A token
 * this cluster did not sign, or one too long, is refused with 400 naming {@code token}.
 */
@PublicEndpoint
@Path("/v1/unsubscribe/{token}")
public final class UnsubscribeResource {
    private final UnsubscribeToken tokens;
    private final Recipients recipients;

    public UnsubscribeResource(UnsubscribeToken tokens, Recipients recipients) {
        this.tokens = tokens;
        this.recipients = recipients;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("token") String token) {
        return tokens.verify(token).map(claims -> html(200, "Unsubscribe",
                        "<p>Stop " + Html.escape(what(claims)) + " from " + Html.escape(claims.application()) + " to " + Html.escape(claims.recipient())
                                + "?</p><form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                                + "<button type=\"submit\">Unsubscribe</button></form>"))
                .orElseGet(() -> html(400, "Link not valid", "<p>This unsubscribe link is not valid. Use the link from the message itself.</p>"));
    }

    /**
     * Records the opt-out; a browser (the confirmation page's form, {@code Accept: text/html}) gets a page back,
     * anyone else JSON: a mail client's POST accepts anything, and the lower {@code qs} makes that JSON.
     */
    @POST
    @Produces("text/html;qs=0.5")
    public Response confirmPage(@PathParam("token") String token) throws SQLException {
        UnsubscribeToken.Claims claims = tokens.verify(token).orElse(null);
        if (claims == null) {
            return html(400, "Link not valid", "<p>This unsubscribe link is not valid. Use the link from the message itself.</p>");
        }
        record(claims);
        return html(200, "Unsubscribed", "<p>Done: no more " + Html.escape(what(claims)) + " from " + Html.escape(claims.application())
                + " to " + Html.escape(claims.recipient()) + ".</p>");
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> confirm(@PathParam("token") String token) throws SQLException {
        UnsubscribeToken.Claims claims = tokens.verify(token).orElseThrow(() -> InvalidRequestException.of(400, "token",
                "is not an unsubscribe token this cluster signed (at most " + UnsubscribeToken.MAX_CHARS + " characters)"));
        record(claims);
        return claims.category() == null ? Map.of("optedOut", "all") : Map.of("optedOut", "category", "category", claims.category());
    }

    private void record(UnsubscribeToken.Claims claims) throws SQLException {
        // Signed by a worker of this cluster, so a channel it had installed; only its form is checked here.
        if (!Channel.isName(claims.channel())) {
            throw InvalidRequestException.of(400, "token", "names no channel");
        }
        recipients.optOut(claims.application(), claims.recipient(), claims.category());
    }

    private static String what(UnsubscribeToken.Claims claims) {
        return claims.category() == null ? "all messages" : "messages of category '" + claims.category() + "'";
    }

    private static Response html(int status, String title, String body) {
        String page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">"
                + "<title>" + title + "</title></head><body><h1>" + title + "</h1>" + body + "</body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer").header("Content-Security-Policy", "default-src 'none'; form-action 'self'")
                .entity(page).build();
    }
}
