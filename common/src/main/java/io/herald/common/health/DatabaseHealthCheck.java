package io.herald.common.health;

import com.codahale.metrics.health.HealthCheck;
import io.herald.common.db.Database;
import java.sql.Connection;

/** Healthy when a pooled connection answers within two seconds. */
public final class DatabaseHealthCheck extends HealthCheck {
    private final Database database;

    public DatabaseHealthCheck(Database database) {
        this.database = database;
    }

    @Override
    protected Result check() throws Exception {
        try (Connection connection = database.connection()) {
            return connection.isValid(2) ? Result.healthy() : Result.unhealthy("connection not valid");
        }
    }
}
