package io.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * docs/openapi.yaml, the API's description: parsed and checked by swagger-parser, and the answers the
 * tests record validated against its schemas. OpenAPI 3.1's schemas are JSON Schema draft 2020-12, so
 * json-schema-validator checks an answer against the schema its status is described with, resolving
 * {@code #/components/...} in the description itself.
 */
final class ApiDescription {
    static final Path SOURCE = Path.of("..", "docs", "openapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_BODY = "#/components/schemas/ErrorResponse";

    /** One answer the API gave: the operation (method and path template), its status and its body. */
    record Exchange(String method, String path, int status, String body) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    private final OpenAPI model;
    private final JsonNode root;
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private ApiDescription(OpenAPI model, JsonNode root) {
        this.model = model;
        this.root = root;
    }

    /** Parses the description; any problem swagger-parser reports with it fails the caller. */
    static ApiDescription load() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(SOURCE.toString(), null, options);
        if (result.getOpenAPI() == null || !result.getMessages().isEmpty()) {
            throw new AssertionError(SOURCE + " is not a valid OpenAPI description: " + result.getMessages());
        }
        return new ApiDescription(result.getOpenAPI(), new ObjectMapper(new YAMLFactory()).readTree(SOURCE.toFile()));
    }

    OpenAPI model() {
        return model;
    }

    /** The description as a JSON tree, as {@code GET /v1/openapi.json} should serve it. */
    JsonNode tree() {
        return root;
    }

    /** Every operation described, as {@code GET /v1/messages/{id}}. */
    Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        root.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /** The statuses described for an operation, each with the {@code $ref} of its JSON body's schema, or "" without one. */
    List<String[]> responses(String operation) {
        List<String[]> responses = new ArrayList<>();
        operation(operation).get("responses").fields().forEachRemaining(r -> {
            JsonNode schema = response(r.getValue()).path("content").path("application/json").path("schema");
            responses.add(new String[] {r.getKey(), schema.path("$ref").asText("")});
        });
        return responses;
    }

    /** An operation served without an API key ({@code security: []}): it never answers 401, nor 429 (no application to limit). */
    boolean isPublic(String operation) {
        JsonNode security = operation(operation).get("security");
        return security != null && security.isArray() && security.isEmpty();
    }

    /** A response described as an HTML page only: what a browser shows, not the JSON error body. */
    boolean isPage(String operation, String status) {
        JsonNode content = response(operation(operation).get("responses").get(status)).path("content");
        return content.has("text/html") && !content.has("application/json");
    }

    static boolean isErrorBody(String ref) {
        return ref.equals(ERROR_BODY);
    }

    /** What is wrong with {@code exchange} by the description: an undescribed status, or a body its schema refuses. */
    List<String> problems(Exchange exchange) throws IOException {
        String operation = exchange.method() + " " + exchange.path();
        JsonNode described = operation(operation).get("responses").get(Integer.toString(exchange.status()));
        if (described == null) {
            return List.of(exchange + ": status not described");
        }
        JsonNode content = response(described).path("content");
        JsonNode schema = content.path("application/json").path("schema");
        if (schema.isMissingNode() && content.has("text/html")) {
            return exchange.body().startsWith("<!doctype html>") ? List.of() : List.of(exchange + ": not the page described");
        }
        if (schema.isMissingNode()) {
            return exchange.body().isEmpty() ? List.of() : List.of(exchange + ": a body where none is described");
        }
        ObjectNode document = schema.deepCopy();
        document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        document.set("components", root.get("components"));
        List<String> problems = new ArrayList<>();
        schemas.getSchema(document).validate(JSON.readTree(exchange.body()))
                .forEach(error -> problems.add(exchange + ": " + error + " in " + exchange.body()));
        return problems;
    }

    private JsonNode operation(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode found = root.get("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
        if (found.isMissingNode()) {
            throw new AssertionError(operation + " is not described in " + SOURCE);
        }
        return found;
    }

    /** A response, or the component it refers to. */
    private JsonNode response(JsonNode response) {
        String ref = response.path("$ref").asText(null);
        return ref == null ? response : root.at(ref.substring(1));
    }
}
