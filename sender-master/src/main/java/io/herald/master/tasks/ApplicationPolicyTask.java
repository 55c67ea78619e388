package io.herald.master.tasks;

import io.herald.common.tasks.HeraldTask;
import io.herald.common.tasks.TaskInputException;
import io.herald.master.db.PolicyStore;
import io.herald.master.policy.Setting;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Sets part of one application's delivery policy, stored in {@code application_policy} so that it
 * holds on every master and across failover: for example {@code app-weight?application=billing&weight=3}.
 * A value {@code default} goes back to config.yml's. With only {@code application}, it prints the
 * settings. Settings not named keep their values.
 */
public final class ApplicationPolicyTask extends HeraldTask {
    private static final int MAX_APPLICATION_LENGTH = 64;

    private final PolicyStore store;
    private final List<Setting> settings;
    private final Consumer<Map<String, Object>> check;
    private final Consumer<String> changed;

    /**
     * @param check validates the settings as they would be after the change (column to effective value,
     *     defaults filled in); throws TaskInputException to refuse the change
     */
    public ApplicationPolicyTask(String name, PolicyStore store, List<Setting> settings, Consumer<Map<String, Object>> check) {
        this(name, store, settings, check, application -> { });
    }

    /** @param changed told the application's name once a change is stored (to drop what this master cached) */
    public ApplicationPolicyTask(String name, PolicyStore store, List<Setting> settings, Consumer<Map<String, Object>> check,
                                 Consumer<String> changed) {
        super(name);
        this.store = store;
        this.settings = List.copyOf(settings);
        this.check = check;
        this.changed = changed;
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        List<String> allowed = new ArrayList<>(List.of("application"));
        settings.forEach(s -> allowed.add(s.parameter()));
        allowOnly(parameters, allowed.toArray(String[]::new));
        String application = application(single(parameters, "application"));
        Map<Setting, Object> changes = new LinkedHashMap<>();
        for (Setting s : settings) {
            single(parameters, s.parameter()).ifPresent(text -> changes.put(s, s.parse(text)));
        }
        if (!changes.isEmpty()) {
            Map<String, Object> after = effective(store.stored(application));
            changes.forEach((s, value) -> after.put(s.column(), value == null ? s.defaultValue() : value));
            check.accept(after);
            store.update(application, changes);
            changed.accept(application);
        }
        output.println(describe(application, store.stored(application)));
    }

    private static String application(Optional<String> value) {
        String application = value.orElseThrow(() -> new TaskInputException("parameter 'application' is required"));
        if (application.isBlank() || application.codePointCount(0, application.length()) > MAX_APPLICATION_LENGTH) {
            throw new TaskInputException("application must be 1 to " + MAX_APPLICATION_LENGTH + " characters");
        }
        return application;
    }

    private Map<String, Object> effective(Map<String, Object> stored) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting s : settings) {
            Object value = stored.get(s.column());
            values.put(s.column(), value == null ? s.defaultValue() : value);
        }
        return values;
    }

    /**
     * One setting as the console shows it: {@code value} in the form this task takes back (durations as
     * {@code <n>ms}; null when there is neither a stored value nor a default), and whether it is config.yml's.
     */
    public record SettingView(String parameter, String value, boolean isDefault) {}

    /** The application's settings of this task, stored or default. */
    public List<SettingView> view(String application) throws java.sql.SQLException {
        return view(store.stored(application));
    }

    private List<SettingView> view(Map<String, Object> stored) {
        List<SettingView> views = new ArrayList<>();
        for (Setting s : settings) {
            Object value = stored.get(s.column());
            Object shown = value != null ? value : s.defaultValue();
            String text = shown == null ? null : s.column().endsWith("_ms") ? shown + "ms" : String.valueOf(shown);
            views.add(new SettingView(s.parameter(), text, value == null));
        }
        return views;
    }

    private String describe(String application, Map<String, Object> stored) {
        StringBuilder line = new StringBuilder("application '" + application + "':");
        for (SettingView s : view(stored)) {
            line.append(' ').append(s.parameter()).append('=')
                    .append(!s.isDefault() ? s.value() : s.value() == null ? "none" : "default (" + s.value() + ")");
        }
        return line.toString();
    }
}
