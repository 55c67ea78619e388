package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.AdminFactory;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code admin} section: Dropwizard's own (health check and task settings) plus the admin port's
 * access, a bearer token for tasks and the Host names it answers to.
 */
public class AdminConfig extends AdminFactory {
    public static final int MIN_TOKEN_CHARS = 32;

    /**
     * Every request to the admin port except health checks, {@code /ping}, {@code /metrics} and
     * {@code /prometheus} must carry {@code Authorization: Bearer <token>}. A node refuses to start
     * without one of at least {@value #MIN_TOKEN_CHARS} characters (checked at start-up, not by
     * {@code check} or {@code db}, which need none).
     */
    @NotNull @JsonProperty public String token = "";

    /**
     * Comma-separated host names, besides loopback ones, that the admin port answers to in the {@code Host}
     * header: a page in an operator's browser that rebinds its own name to 127.0.0.1 gets nothing.
     */
    @NotNull @JsonProperty public String hosts = "";

    public List<String> hostList() {
        return Arrays.stream(hosts.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}
