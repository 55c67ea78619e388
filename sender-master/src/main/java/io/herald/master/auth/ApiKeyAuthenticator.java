package io.herald.master.auth;

import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import io.herald.master.db.ApiKeys;
import io.herald.master.db.ApplicationStore;
import java.sql.SQLException;
import java.util.Optional;

/** Finds the application of an unrevoked API key in the database; wrapped in a short-lived cache. */
public final class ApiKeyAuthenticator implements Authenticator<String, Caller> {
    private final ApplicationStore applications;

    public ApiKeyAuthenticator(ApplicationStore applications) {
        this.applications = applications;
    }

    @Override
    public Optional<Caller> authenticate(String key) throws AuthenticationException {
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty();
        }
        try {
            return applications.applicationOfKey(ApiKeys.hash(key)).map(Caller::new);
        } catch (SQLException e) {
            throw new AuthenticationException("database unavailable while checking an API key", e);
        }
    }
}
