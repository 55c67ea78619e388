package io.herald.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The CLI's one way to a node: the API ({@code /v1}, with the application's key) and admin tasks
 * ({@code /tasks/<name>}, with the admin token). An error status becomes a {@link CliException} with
 * the status and the node's own message on one line; so does a node that cannot be reached.
 */
final class HeraldClient {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_MESSAGE = 500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final CliConfig config;

    HeraldClient(CliConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    CliConfig config() {
        return config;
    }

    /** A {@code /v1} call on the configured API address; the answer's JSON body. */
    JsonNode api(String method, String path, Query query, String body, Duration timeout) {
        return apiStreamed(method, path, query, body == null ? null : HttpRequest.BodyPublishers.ofString(body), timeout);
    }

    /** The same with a body sent as it is read (a file streamed to a bulk endpoint); null for none. */
    JsonNode apiStreamed(String method, String path, Query query, HttpRequest.BodyPublisher body, Duration timeout) {
        return apiStreamed(method, path, query, body, "application/json", timeout);
    }

    /** The same with a body of another type ({@code text/csv}, {@code application/x-ndjson}). */
    JsonNode apiStreamed(String method, String path, Query query, HttpRequest.BodyPublisher body, String contentType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.apiUrl() + path + query))
                .timeout(timeout)
                .header("Authorization", "Bearer " + config.requireApiKey())
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        String answer = send(request.build());
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the node answered something that is not JSON: " + shorten(answer));
        }
    }

    /** {@code --file}'s body, read as it is sent ({@code -}: standard input); a missing file is a usage error. */
    static HttpRequest.BodyPublisher fileBody(Path file) {
        try {
            return "-".equals(file.toString()) ? HttpRequest.BodyPublishers.ofInputStream(() -> System.in) : HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw CliException.usage("cannot read --file " + file + ": no such file");
        }
    }

    JsonNode api(String method, String path, Query query) {
        return api(method, path, query, null, DEFAULT_TIMEOUT);
    }

    /** The items of a paged listing, and the cursor of the page after them (null after the last). */
    record Pages(ArrayNode items, JsonNode next) {}

    /**
     * A paged listing at {@code path}: the page {@code at} gives for {@code cursor}, then with {@code all} every
     * following one; {@code progress} hears how many items were read before each further page.
     */
    Pages pages(String path, Function<String, Query> at, String cursor, String itemsField, String nextField, boolean all,
                IntConsumer progress) {
        JsonNode page = api("GET", path, at.apply(cursor));
        ArrayNode items = ((ArrayNode) page.path(itemsField)).deepCopy();
        while (all && page.hasNonNull(nextField)) {
            progress.accept(items.size());
            page = api("GET", path, at.apply(page.get(nextField).asText()));
            items.addAll((ArrayNode) page.path(itemsField));
        }
        return new Pages(items, page.get(nextField));
    }

    /** An admin task on the configured admin address; its printed lines. */
    String task(String name, Query query) {
        return task(config.adminUrl(), name, query, DEFAULT_TIMEOUT);
    }

    /** An admin task on the node at {@code adminUrl} (step-down goes to the leader, drain to a worker). */
    String task(String adminUrl, String name, Query query, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + "/tasks/" + name + query))
                .timeout(timeout)
                .header("Authorization", "Bearer " + config.requireAdminToken())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return send(request);
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.FAILED, request.method() + " " + request.uri() + " had no answer within "
                    + request.timeout().map(Duration::toSeconds).orElse(0L) + " s");
        } catch (ConnectException e) {
            throw new CliException(CliException.FAILED, "cannot reach " + origin(request.uri()) + " (connection refused); is the node running?");
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot reach " + origin(request.uri()) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw CliException.server(response.statusCode(), errorMessage(response.body()));
        }
        return response.body();
    }

    /**
     * The node's message: the API's JSON error ({@code message}, and the field it names), or an admin
     * task's one line ({@code error: ...}), or the body's first line.
     */
    String errorMessage(String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode error = json.readTree(text);
                String message = error.path("message").asText("");
                String field = error.path("field").asText("");
                if (!message.isEmpty()) {
                    return field.isEmpty() || message.contains(field) ? message : field + ": " + message;
                }
            } catch (IOException e) {
                // not JSON after all: the text itself follows
            }
        }
        String line = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("(no message)");
        return shorten(line.startsWith("error: ") ? line.substring("error: ".length()) : line);
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }
}
