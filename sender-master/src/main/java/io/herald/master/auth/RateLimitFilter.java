package io.herald.master.auth;

import io.herald.master.core.RequestRateLimiter;
import io.herald.master.api.ErrorAnswers;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.security.Principal;
import java.util.OptionalLong;

/**
 * Applies each application's request rate limit, after its API key is checked: past it, 429 with
 * {@code Retry-After} and a JSON body; nothing of the request is done.
 */
@Priority(Priorities.AUTHORIZATION)
public final class RateLimitFilter implements ContainerRequestFilter {
    private final RequestRateLimiter limiter;

    public RateLimitFilter(RequestRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Principal principal = request.getSecurityContext().getUserPrincipal();
        if (!(principal instanceof Caller caller)) {
            return;
        }
        OptionalLong wait = limiter.acquire(caller.application());
        if (wait.isPresent()) {
            request.abortWith(ErrorAnswers.tooManyRequests("application '" + caller.application()
                    + "' is over its request rate on this master (app-rate-limit); retry after " + wait.getAsLong() + "s",
                    wait.getAsLong()));
        }
    }
}
