package io.herald.tools.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the CLI finds the nodes and its credentials. Each value comes from the first of: the
 * environment ({@code HERALD_URL}, {@code HERALD_ADMIN_URL}, {@code HERALD_API_KEY}, {@code ADMIN_TOKEN}),
 * the config file ({@code $XDG_CONFIG_HOME/herald/cli.properties}, else {@code ~/.config/herald/cli.properties},
 * keys {@code url}, {@code adminUrl}, {@code apiKey}, {@code adminToken}), the files {@code bin/herald up}
 * writes ({@code .herald/local/api-key} and {@code admin-token}), and for the addresses the first
 * master of {@code bin/herald up}.
 */
record CliConfig(String apiUrl, String adminUrl, Optional<String> apiKey, Optional<String> adminToken, String source) {
    static final String DEFAULT_API = "http://127.0.0.1:8080";
    static final String DEFAULT_ADMIN = "http://127.0.0.1:8081";

    /**
     * @param home the user's home directory
     * @param root the Herald checkout whose {@code .herald/local/} {@code bin/herald up} writes
     */
    static CliConfig load(Map<String, String> env, Path home, Path root) {
        Path file = configFile(env, home);
        Properties props = read(file);
        Path local = root.resolve(".herald/local");
        return new CliConfig(
                trimSlash(first(env.get("HERALD_URL"), props.getProperty("url")).orElse(DEFAULT_API)),
                trimSlash(first(env.get("HERALD_ADMIN_URL"), props.getProperty("adminUrl")).orElse(DEFAULT_ADMIN)),
                first(env.get("HERALD_API_KEY"), props.getProperty("apiKey"), readLine(local.resolve("api-key"))),
                first(env.get("ADMIN_TOKEN"), props.getProperty("adminToken"), readLine(local.resolve("admin-token"))),
                file.toString());
    }

    String requireApiKey() {
        return apiKey.orElseThrow(() -> CliException.usage(
                "no API key: set HERALD_API_KEY, or apiKey in " + source + " (bin/herald apps create prints one)"));
    }

    String requireAdminToken() {
        return adminToken.orElseThrow(() -> CliException.usage(
                "no admin token: set ADMIN_TOKEN, or adminToken in " + source + " (bin/herald up writes .herald/local/admin-token)"));
    }

    CliConfig withUrls(String api, String admin) {
        return new CliConfig(api == null ? apiUrl : trimSlash(api), admin == null ? adminUrl : trimSlash(admin), apiKey, adminToken, source);
    }

    private static Path configFile(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("herald/cli.properties");
    }

    private static Properties read(Path file) {
        Properties props = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage());
            }
        }
        return props;
    }

    private static String readLine(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null; // unreadable counts as absent; the next source, or the "no token" line, follows
        }
    }

    private static Optional<String> first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
