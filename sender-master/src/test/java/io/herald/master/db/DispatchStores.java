package io.herald.master.db;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.PolicyConfig;
import io.herald.common.config.WebhookConfig;
import io.herald.common.config.WorkerConfig;
import io.herald.common.db.Database;
import io.herald.common.metrics.ApplicationLabels;
import io.herald.master.policy.PolicyMetrics;
import io.herald.master.policy.UnknownOutcome;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;

/** A DispatchStore with the admission policies MasterApplication builds, for database-backed tests. */
public final class DispatchStores {
    private DispatchStores() {}

    public static DispatchStore standard(Database database, PolicyConfig policy, Duration stalledTransactionTimeout, MetricRegistry metrics) {
        return standard(database, policy, stalledTransactionTimeout, metrics, new PrometheusRegistry());
    }

    /** As above, with the policy counters in {@code prometheus}. */
    public static DispatchStore standard(Database database, PolicyConfig policy, Duration stalledTransactionTimeout, MetricRegistry metrics,
                                         PrometheusRegistry prometheus) {
        PolicyStore policies = new PolicyStore(database, policy);
        return new DispatchStore(database, stalledTransactionTimeout, metrics, new PolicyMetrics(prometheus, new ApplicationLabels(50)),
                policy.priorityWeights, policies,
                List.of(Suppressions.policy(), OptOuts.policy(), QuotaLedger.policy(policy.quota.warnInterval.toJavaDuration(), policies), DigestWindows.policy()),
                new OutboxStore(database), unknownOutcomes(policy));
    }

    /** The reaper's choices as config.yml's defaults make them: park, unless {@code policy.unknownOutcome} says resend. */
    public static UnknownOutcomes unknownOutcomes(PolicyConfig policy) {
        return new UnknownOutcomes(UnknownOutcome.fromWire(policy.unknownOutcome).orElseThrow(),
                new UnknownOutcome.Budget(new WorkerConfig().maxAttempts, new WebhookConfig().schedule()));
    }
}
