package io.herald.master.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's page, script and style, from the jar ({@code src/main/resources/console/}), on the admin
 * port at {@code /console/}. They hold no data and are served without the admin token (a browser cannot
 * send one on navigation); every call the page makes for data or an action carries the token. Only the
 * files named here are served, read once at start-up, with a Content-Security-Policy that lets the page
 * load nothing but its own files and talk to nothing but this port.
 */
public final class ConsoleAssets extends HttpServlet {
    private static final Map<String, String> FILES = Map.of(
            "/index.html", "text/html;charset=UTF-8",
            "/console.js", "text/javascript;charset=UTF-8",
            "/charts.js", "text/javascript;charset=UTF-8",
            "/messages.js", "text/javascript;charset=UTF-8",
            "/console.css", "text/css;charset=UTF-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, byte[]> contents;

    public ConsoleAssets() {
        this.contents = FILES.keySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(path -> path, ConsoleAssets::read));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getPathInfo() == null) {
            response.sendRedirect(Console.ASSETS + "/"); // the page's links are relative to the directory
            return;
        }
        String path = request.getPathInfo().equals("/") ? "/index.html" : request.getPathInfo();
        byte[] body = contents.get(path);
        if (body == null) {
            response.sendError(404);
            return;
        }
        response.setContentType(FILES.get(path));
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] read(String path) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console" + path)) {
            if (in == null) {
                throw new IllegalStateException("console asset /console" + path + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
