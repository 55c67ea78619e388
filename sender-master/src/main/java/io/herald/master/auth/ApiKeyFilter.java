package io.herald.master.auth;

import io.dropwizard.auth.AuthFilter;
import io.herald.master.api.ErrorAnswers;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Authenticates every API request by {@code Authorization: Bearer <key>}. Registered globally rather
 * than per annotated method, so an endpoint added later is protected without anyone remembering to.
 *
 * <p>Unlike Dropwizard's {@code OAuthCredentialAuthFilter}, it does not also take the key from an
 * {@code access_token} query parameter: keys in URLs end up in request logs and proxies.
 */
@Priority(Priorities.AUTHENTICATION)
public final class ApiKeyFilter extends AuthFilter<String, Caller> {
    private static final String SCHEME = "Bearer";

    /** The matched resource (this filter runs after matching), to let {@link PublicEndpoint}s through. */
    @Context private ResourceInfo resource;

    private ApiKeyFilter() {}

    @Override
    public void filter(ContainerRequestContext request) {
        Class<?> matched = resource == null ? null : resource.getResourceClass();
        if (matched != null && matched.isAnnotationPresent(PublicEndpoint.class)) {
            return;
        }
        boolean authenticated;
        try {
            authenticated = authenticate(request, bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)), SCHEME);
        } catch (InternalServerErrorException e) {
            // The authenticator could not reach the database: the client should retry, not fix its key.
            throw new WebApplicationException(ErrorAnswers.unavailable("database unavailable; the API key could not be checked, retry later"));
        }
        if (!authenticated) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space <= 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return null;
        }
        return header.substring(space + 1).trim();
    }

    public static ApiKeyFilter create(io.dropwizard.auth.Authenticator<String, Caller> authenticator) {
        return new Builder()
                .setAuthenticator(authenticator)
                .setPrefix(SCHEME)
                .setRealm("herald")
                .setUnauthorizedHandler(new JsonUnauthorizedHandler())
                .buildAuthFilter();
    }

    private static final class Builder extends AuthFilterBuilder<String, Caller, ApiKeyFilter> {
        @Override
        protected ApiKeyFilter newInstance() {
            return new ApiKeyFilter();
        }
    }
}
