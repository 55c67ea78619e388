package io.herald.master.tasks;

import io.herald.common.config.HeraldConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.ApiConfig;
import io.herald.common.config.PolicyConfig;
import io.herald.master.api.Targets;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import io.herald.common.webhook.RetrySchedule;
import io.herald.master.db.PolicyStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-application policy tasks against the real database. */
class PolicyTasksTest {
    private static TestDatabase database;
    private static Map<String, ApplicationPolicyTask> tasks;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.create();
        tasks = new LinkedHashMap<>();
        PolicyStore store = new PolicyStore(database.database(), new PolicyConfig());
        PolicyTasks.all(store, new PolicyConfig(), Targets.of(new HeraldConfiguration()), new ApiConfig(), application -> { })
                .forEach(t -> tasks.put(t.getName(), t));
        ApplicationPolicyTask retrySchedule = PolicyTasks.retrySchedule(store, RetrySchedule.DEFAULT);
        tasks.put(retrySchedule.getName(), retrySchedule);
        ApplicationPolicyTask unknownOutcome = PolicyTasks.unknownOutcome(store, "park");
        tasks.put(unknownOutcome.getName(), unknownOutcome);
    }

    @AfterAll
    static void tearDown() throws Exception {
        database.close();
    }

    static String run(String task, String... pairs) throws Exception {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        StringWriter out = new StringWriter();
        try (PrintWriter writer = new PrintWriter(out)) {
            tasks.get(task).execute(parameters, writer);
        }
        return out.toString().trim();
    }

    @Test
    void a_weight_is_stored_shown_and_reset_to_the_default() throws Exception {
        assertThat(run("app-weight", "application", "billing", "weight", "3")).isEqualTo("application 'billing': weight=3");
        assertThat(Rows.count(database.database(), "SELECT weight FROM application_policy WHERE application = 'billing'")).isEqualTo(3);
        assertThat(run("app-weight", "application", "billing")).isEqualTo("application 'billing': weight=3");
        assertThat(run("app-weight", "application", "billing", "weight", "default")).isEqualTo("application 'billing': weight=default (1)");
    }

    @Test
    void a_webhook_retry_schedule_is_checked_stored_in_its_normal_form_and_reset_to_the_default() throws Exception {
        assertThat(run("app-retry-schedule", "application", "hooks", "schedule", "30s,90m , 1d"))
                .isEqualTo("application 'hooks': schedule=30s, 90m, 1d");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application_policy WHERE application = 'hooks'"
                + " AND retry_schedule = '30s, 90m, 1d'")).isEqualTo(1);
        assertThat(run("app-retry-schedule", "application", "hooks", "schedule", "5s, 99999999999999999999d"))
                .isEqualTo("error: schedule: retry schedule step '99999999999999999999d' is longer than 7d (or default)");
        assertThat(run("app-retry-schedule", "application", "hooks", "schedule", "soon"))
                .startsWith("error: schedule: retry schedule step 'soon' is not a duration");
        assertThat(run("app-retry-schedule", "application", "hooks", "schedule", "default"))
                .isEqualTo("application 'hooks': schedule=default (" + RetrySchedule.DEFAULT + ")");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application_policy WHERE application = 'hooks'"
                + " AND retry_schedule IS NULL")).isEqualTo(1);
    }

    @Test
    void unknown_outcome_takes_park_or_resend_and_goes_back_to_the_default() throws Exception {
        assertThat(run("app-unknown-outcome", "application", "hooks")).isEqualTo("application 'hooks': unknownOutcome=default (park)");
        assertThat(run("app-unknown-outcome", "application", "hooks", "unknownOutcome", "Resend"))
                .isEqualTo("application 'hooks': unknownOutcome=resend");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application_policy WHERE application = 'hooks'"
                + " AND unknown_outcome = 'resend'")).isEqualTo(1);
        assertThat(run("app-unknown-outcome", "application", "hooks", "unknownOutcome", "retry"))
                .isEqualTo("error: unknownOutcome must be park or resend (or default), not 'retry'");
        assertThat(run("app-unknown-outcome", "application", "hooks", "unknownOutcome", "default"))
                .isEqualTo("application 'hooks': unknownOutcome=default (park)");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application_policy WHERE application = 'hooks'"
                + " AND unknown_outcome IS NULL")).isEqualTo(1);
    }

    @Test
    void bad_input_is_refused_with_one_line_and_nothing_is_stored() throws Exception {
        assertThat(run("app-weight", "application", "shop", "weight", "0"))
                .isEqualTo("error: weight must be a whole number from 1 to 1000 (or default), not '0'");
        assertThat(run("app-weight", "application", "shop", "weight", "x")).startsWith("error: weight must be a whole number");
        assertThat(run("app-weight", "weight", "2")).isEqualTo("error: parameter 'application' is required");
        assertThat(run("app-weight", "application", "shop", "wieght", "2"))
                .isEqualTo("error: unknown parameter 'wieght'; allowed: application, weight");
        assertThat(run("app-weight", "application", "x".repeat(65), "weight", "2")).isEqualTo("error: application must be 1 to 64 characters");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application_policy WHERE application = 'shop'")).isZero();
    }

    @Test
    void a_quota_is_stored_and_checked_against_its_other_half() throws Exception {
        assertThat(run("app-quota", "application", "mail", "soft", "600", "hard", "6000", "window", "1m"))
                .isEqualTo("application 'mail': soft=600 hard=6000 window=60000ms");
        assertThat(run("app-quota", "application", "mail", "soft", "7000"))
                .isEqualTo("error: soft (7000) must not exceed hard (6000); 0 means no limit");
        assertThat(run("app-quota", "application", "mail", "window", "2d"))
                .isEqualTo("error: window must be from 1000 ms to 86400000 ms, not '2d'");
        assertThat(run("app-quota", "application", "mail", "window", "soon")).startsWith("error: window must be a duration");
        assertThat(run("app-quota", "application", "mail", "hard", "default", "soft", "default"))
                .isEqualTo("application 'mail': soft=default (0) hard=default (0) window=60000ms");
    }

    @Test
    void digests_and_fallbacks_are_stored_and_checked() throws Exception {
        assertThat(run("app-digest", "application", "alerts", "enabled", "true", "threshold", "5", "window", "10m"))
                .isEqualTo("application 'alerts': enabled=1 threshold=5 window=600000ms");
        assertThat(run("app-digest", "application", "alerts", "enabled", "maybe")).startsWith("error: enabled must be true or false");
        assertThat(run("app-dry-run", "application", "alerts", "enabled", "true")).isEqualTo("application 'alerts': enabled=1");
        assertThat(run("app-dry-run", "application", "alerts", "enabled", "default")).isEqualTo("application 'alerts': enabled=default (0)");
        assertThat(run("app-fallback", "application", "alerts", "channel", "email", "target", "ops@example.org"))
                .isEqualTo("application 'alerts': channel=email target=ops@example.org");
        assertThat(run("app-fallback", "application", "alerts", "channel", "webhook"))
                .isEqualTo("error: target must be an absolute http or https URL");
        assertThat(run("app-fallback", "application", "alerts", "channel", "fax"))
                .startsWith("error: channel: unknown channel 'fax'; one of email|log|slack|webhook");
        assertThat(run("app-fallback", "application", "alerts", "channel", "sms"))
                .startsWith("error: channel: 'sms' is not available on this cluster: channels.sms.accountSid is not set");
        assertThat(run("app-fallback", "application", "other", "target", "ops@example.org"))
                .isEqualTo("error: give channel and target together (or both default, for no fallback)");
        assertThat(run("app-fallback", "application", "alerts", "channel", "default", "target", "default"))
                .isEqualTo("application 'alerts': channel=none target=none");
    }
}
