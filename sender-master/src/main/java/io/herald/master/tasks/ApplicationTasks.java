package io.herald.master.tasks;

import io.herald.common.tasks.HeraldTask;
import io.herald.common.tasks.TaskInputException;
import io.herald.master.api.MessageParser;
import io.herald.master.api.Targets;
import io.herald.master.api.Names;
import io.herald.master.db.ApplicationStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin tasks that manage applications and their API keys. Keys and secrets are printed once, when
 * made, and stored only as hashes (keys) or for signing (secrets).
 *
 * <ul>
 *   <li>{@code app-create?name=<app>[&ownerEmail=<address>]}: first line the API key, second line the
 *       signing secret for callbacks.
 *   <li>{@code app-key?name=<app>}: another key for the application, to rotate without downtime.
 *   <li>{@code app-revoke?key=<key>} revokes one key; {@code app-revoke?name=<app>} revokes all of them.
 *   <li>{@code app-rotate-secret?name=<app>[&grace=24h]}: a new signing secret; the replaced one still
 *       signs beside it for the grace period ({@code webhook.secretRotationGrace} by default).
 * </ul>
 */
public final class ApplicationTasks {
    private ApplicationTasks() {}

    /**
     * @param onRevoked drops this master's cached keys, so a revocation holds here at once
     * @param cacheTtl how long other masters may still accept a revoked key
     * @param rotationGrace how long a replaced signing secret still signs, unless the task says otherwise
     */
    public static List<HeraldTask> all(ApplicationStore store, Runnable onRevoked, Duration cacheTtl, Duration rotationGrace) {
        return List.of(new Create(store), new AddKey(store), new Revoke(store, onRevoked, cacheTtl), new RotateSecret(store, rotationGrace));
    }

    /** A task over the application store. */
    private abstract static class StoreTask extends HeraldTask {
        final ApplicationStore store;

        StoreTask(String name, ApplicationStore store) {
            super(name);
            this.store = store;
        }

        /** The validated {@code name} parameter. */
        static String name(Map<String, List<String>> parameters) {
            String name = single(parameters, "name").orElseThrow(() -> new TaskInputException("give name=<application>"));
            if (!Names.isName(name, MessageParser.MAX_APPLICATION_CHARS)) {
                throw new TaskInputException("name " + Names.rule(MessageParser.MAX_APPLICATION_CHARS) + ", not '" + name + "'");
            }
            return name;
        }
    }

    private static final class Create extends StoreTask {
        Create(ApplicationStore store) {
            super("app-create", store);
        }

        @Override
        protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
            allowOnly(parameters, "name", "ownerEmail");
            String name = name(parameters);
            Optional<String> owner = single(parameters, "ownerEmail");
            if (owner.isPresent() && !Targets.isEmailAddress(owner.get())) {
                throw new TaskInputException("ownerEmail must be an email address such as someone@example.com");
            }
            try {
                ApplicationStore.Credentials credentials = store.create(name, owner.orElse(null));
                output.println(credentials.apiKey());
                output.println(credentials.signingSecret());
            } catch (ApplicationStore.ApplicationExistsException e) {
                throw new TaskInputException(e.getMessage() + "; app-key?name=" + name + " issues another key");
            }
        }
    }

    private static final class AddKey extends StoreTask {
        AddKey(ApplicationStore store) {
            super("app-key", store);
        }

        @Override
        protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
            allowOnly(parameters, "name");
            String name = name(parameters);
            output.println(store.addKey(name).orElseThrow(() -> new TaskInputException("no application named '" + name + "'")));
        }
    }

    private static final class RotateSecret extends StoreTask {
        private static final Duration MAX_GRACE = Duration.ofDays(30);
        private final Duration defaultGrace;

        RotateSecret(ApplicationStore store, Duration defaultGrace) {
            super("app-rotate-secret", store);
            this.defaultGrace = defaultGrace;
        }

        @Override
        protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
            allowOnly(parameters, "name", "grace");
            String name = name(parameters);
            Duration grace = single(parameters, "grace").map(RotateSecret::grace).orElse(defaultGrace);
            ApplicationStore.Rotation rotation = store.rotateSecret(name, grace)
                    .orElseThrow(() -> new TaskInputException("no application named '" + name + "'"));
            output.println(rotation.signingSecret());
            output.println("the replaced secret signs too until " + rotation.previousSignsUntil()
                    + "; every worker signs with the new one within 10 s");
        }

        private static Duration grace(String text) {
            long millis;
            try {
                millis = io.dropwizard.util.Duration.parse(text).toMilliseconds(); // saturates rather than overflows
            } catch (IllegalArgumentException e) {
                throw new TaskInputException("grace must be a duration such as 24h, 30m or 0s, not '" + text + "'");
            }
            if (millis < 0 || millis > MAX_GRACE.toMillis()) {
                throw new TaskInputException("grace must be from 0s to " + MAX_GRACE.toDays() + "d, not '" + text + "'");
            }
            return Duration.ofMillis(millis);
        }
    }

    private static final class Revoke extends StoreTask {
        private final Runnable onRevoked;
        private final Duration cacheTtl;

        Revoke(ApplicationStore store, Runnable onRevoked, Duration cacheTtl) {
            super("app-revoke", store);
            this.onRevoked = onRevoked;
            this.cacheTtl = cacheTtl;
        }

        @Override
        protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
            allowOnly(parameters, "key", "name");
            Optional<String> key = single(parameters, "key");
            if (key.isPresent() == parameters.containsKey("name")) {
                throw new TaskInputException("give either key=<API key> or name=<application> (revokes all its keys)");
            }
            String message = key.isPresent() ? revokeKey(key.get()) : revokeAll(name(parameters));
            onRevoked.run();
            output.println(message);
            output.println("refused on this master now, and on every other master within " + cacheTtl.toMillis() + " ms (master.apiKeyCacheTtl)");
        }

        private String revokeKey(String key) throws Exception {
            String application = store.revokeKey(key)
                    .orElseThrow(() -> new TaskInputException("no valid API key matches; it is unknown or revoked already"));
            return "revoked 1 key of application " + application;
        }

        private String revokeAll(String name) throws Exception {
            if (!store.exists(name)) {
                throw new TaskInputException("no application named '" + name + "'");
            }
            return "revoked " + store.revokeAll(name) + " key(s) of application " + name;
        }
    }
}
