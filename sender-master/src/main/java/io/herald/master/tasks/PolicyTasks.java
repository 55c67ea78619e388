package io.herald.master.tasks;

import io.herald.common.config.ApiConfig;
import io.herald.common.config.PolicyConfig;
import io.herald.common.model.Channel;
import io.herald.common.tasks.TaskInputException;
import io.herald.common.webhook.RetrySchedule;
import io.herald.master.api.FieldError;
import io.herald.master.api.Targets;
import io.herald.master.db.PolicyStore;
import io.herald.master.policy.Setting;
import io.herald.master.policy.UnknownOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The admin tasks that set per-application policy (docs/DELIVERY-POLICY.md). */
public final class PolicyTasks {
    private static final long MAX_LIMIT = 100_000_000;

    private PolicyTasks() {}

    public static List<ApplicationPolicyTask> all(PolicyStore store, PolicyConfig defaults, Targets targets,
                                                  ApiConfig api, Consumer<String> rateChanged) {
        return List.of(
                new ApplicationPolicyTask("app-rate-limit", store, List.of(
                        Setting.integer("perSecond", "rate_per_second", 0, 1_000_000, api.requestsPerSecond),
                        Setting.integer("burst", "rate_burst", 1, 1_000_000, api.burst)),
                        after -> { }, rateChanged),
                new ApplicationPolicyTask("app-weight", store,
                        List.of(Setting.integer("weight", "weight", 1, 1_000, defaults.defaultWeight)), after -> {}),
                new ApplicationPolicyTask("app-quota", store, List.of(
                        Setting.integer("soft", "quota_soft", 0, MAX_LIMIT, defaults.quota.soft),
                        Setting.integer("hard", "quota_hard", 0, MAX_LIMIT, defaults.quota.hard),
                        Setting.duration("window", "quota_window_ms", Duration.ofSeconds(1), Duration.ofDays(1),
                                Duration.ofMillis(defaults.quota.window.toMilliseconds()))),
                        PolicyTasks::softWithinHard),
                new ApplicationPolicyTask("app-digest", store, List.of(
                        Setting.flag("enabled", "digest_enabled", defaults.digest.enabled),
                        Setting.integer("threshold", "digest_threshold", 1, 1_000_000, defaults.digest.threshold),
                        Setting.duration("window", "digest_window_ms", Duration.ofSeconds(1), Duration.ofDays(1),
                                Duration.ofMillis(defaults.digest.window.toMilliseconds()))),
                        after -> {}),
                new ApplicationPolicyTask("app-dry-run", store,
                        List.of(Setting.flag("enabled", "dry_run", false)), after -> {}),
                new ApplicationPolicyTask("app-fallback", store, List.of(
                        Setting.text("channel", "fallback_channel", text -> channel(targets, text)),
                        Setting.text("target", "fallback_target", text -> text)),
                        after -> fallbackComplete(after, targets)));
    }

    /**
     * {@code app-retry-schedule?application=<app>&schedule=5s,5m,30m}: the application's own webhook
     * retry schedule (one attempt more than steps); {@code schedule=default} goes back to
     * {@code webhook.retrySchedule}.
     */
    public static ApplicationPolicyTask retrySchedule(PolicyStore store, String defaultSchedule) {
        return new ApplicationPolicyTask("app-retry-schedule", store,
                List.of(new Setting("schedule", "retry_schedule", PolicyTasks::schedule, defaultSchedule)), after -> {});
    }

    /**
     * {@code app-unknown-outcome?application=<app>&unknownOutcome=resend}: what the lease reaper does with the
     * application's messages whose worker died mid-send ({@code park} or {@code resend}; {@code default} goes
     * back to {@code policy.unknownOutcome}).
     */
    public static ApplicationPolicyTask unknownOutcome(PolicyStore store, String defaultChoice) {
        return new ApplicationPolicyTask("app-unknown-outcome", store, List.of(new Setting("unknownOutcome", "unknown_outcome",
                text -> UnknownOutcome.fromWire(text).map(UnknownOutcome::wireName).orElseThrow(() -> new TaskInputException(
                        "unknownOutcome must be park or resend (or default), not '" + text + "'")), defaultChoice)), after -> {});
    }

    private static String schedule(String text) {
        try {
            return RetrySchedule.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new TaskInputException("schedule: " + e.getMessage() + " (or default)");
        }
    }

    private static String channel(Targets targets, String text) {
        String problem = targets.channels().lookup(text).problem();
        if (problem != null) {
            throw new TaskInputException("channel: " + problem + " (or default for none)");
        }
        return text;
    }

    /** Channel and target are set together, and the target must suit the channel. */
    private static void fallbackComplete(Map<String, Object> after, Targets targets) {
        String channel = (String) after.get("fallback_channel");
        String target = (String) after.get("fallback_target");
        if ((channel == null) != (target == null)) {
            throw new TaskInputException("give channel and target together (or both default, for no fallback)");
        }
        if (channel != null) {
            List<FieldError> errors = new ArrayList<>();
            targets.check(new Channel(channel), target, "target", errors);
            if (!errors.isEmpty()) {
                throw new TaskInputException("target " + errors.get(0).message());
            }
        }
    }

    private static void softWithinHard(Map<String, Object> after) {
        long soft = ((Number) after.get("quota_soft")).longValue();
        long hard = ((Number) after.get("quota_hard")).longValue();
        if (soft > 0 && hard > 0 && soft > hard) {
            throw new TaskInputException("soft (" + soft + ") must not exceed hard (" + hard + "); 0 means no limit");
        }
    }
}
