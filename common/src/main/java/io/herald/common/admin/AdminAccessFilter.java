package io.herald.common.admin;

import io.herald.common.config.AdminConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Guards the admin port. Every request must name this machine (a loopback name or one of
 * {@code admin.hosts}) in its {@code Host} header, so a web page that rebinds its own name to 127.0.0.1
 * in an operator's browser gets nothing. Everything but health checks, {@code /ping}, {@code /metrics}
 * and {@code /prometheus} also needs {@code Authorization: Bearer <admin.token>}, compared in constant
 * time: a tenant's webhook aimed at the admin port, or any local process, cannot run a task. The
 * operator console's files (a master's servlet at {@link #CONSOLE_ASSETS}) are open too: they hold no
 * data, and a browser cannot send the token when it navigates; the console's API needs the token.
 */
public final class AdminAccessFilter implements Filter {
    private static final Set<String> OPEN = Set.of("/healthcheck", "/ping", "/metrics", "/prometheus");
    /** The servlet path of the console's static files; judged by the servlet that serves the request, so no path trick reaches another. */
    public static final String CONSOLE_ASSETS = "/console";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final byte[] token;
    private final List<String> hosts;

    public AdminAccessFilter(AdminConfig config) {
        this.token = config.token.getBytes(StandardCharsets.UTF_8);
        this.hosts = config.hostList();
    }

    /** Refuses to start a node whose token is missing or too short to be a secret. */
    public static void requireToken(AdminConfig config) {
        if (config.token.length() < AdminConfig.MIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("admin.token (environment ADMIN_TOKEN) must be at least " + AdminConfig.MIN_TOKEN_CHARS
                    + " characters; it guards the admin port (make one with: openssl rand -hex 32)");
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String host = request.getHeader("Host");
        if (!isOwnHost(host)) {
            refuse(response, 403, "admin port: Host '" + host + "' is not a loopback name or one of admin.hosts");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (OPEN.contains(path) || CONSOLE_ASSETS.equals(request.getServletPath()) || hasToken(request.getHeader("Authorization"))) {
            chain.doFilter(req, res);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"herald-admin\"");
        refuse(response, 401, "admin port: send Authorization: Bearer <admin.token>");
    }

    boolean isOwnHost(String header) {
        if (header == null) {
            return false;
        }
        String host = header.toLowerCase(Locale.ROOT).strip();
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        return LOOPBACK.contains(host) || hosts.contains(host);
    }

    private boolean hasToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static void refuse(HttpServletResponse response, int status, String line) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(line);
    }
}
