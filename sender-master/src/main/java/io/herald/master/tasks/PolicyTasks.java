package io.herald.master.tasks;

import io.herald.common.config.PolicyConfig;
import io.herald.master.db.PolicyStore;
import io.herald.master.policy.Setting;
import java.util.List;

/** The admin tasks that set per-application policy (docs/DELIVERY-POLICY.md). */
public final class PolicyTasks {
    private PolicyTasks() {}

    public static List<ApplicationPolicyTask> all(PolicyStore store, PolicyConfig defaults) {
        return List.of(
                new ApplicationPolicyTask("app-weight", store,
                        List.of(Setting.integer("weight", "weight", 1, 1_000, defaults.defaultWeight)), after -> {}));
    }
}
