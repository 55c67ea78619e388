package io.herald.master.auth;

import java.security.Principal;

/** The application an API request authenticated as; every read and write of the request is scoped to it. */
public record Caller(String application) implements Principal {
    @Override
    public String getName() {
        return application;
    }
}
