package io.herald.common.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.function.Supplier;

/** Reports the node's current role (leader, standby or worker); unhealthy only when it has none. */
public final class RoleHealthCheck extends HealthCheck {
    private final Supplier<String> role;

    public RoleHealthCheck(Supplier<String> role) {
        this.role = role;
    }

    @Override
    protected Result check() {
        String current = role.get();
        return current == null ? Result.unhealthy("no role yet") : Result.healthy(current);
    }
}
