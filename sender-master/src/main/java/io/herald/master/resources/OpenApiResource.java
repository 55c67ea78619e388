package io.herald.master.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.json}: the API's OpenAPI 3.1 description. Its one source is docs/openapi.yaml,
 * which the build copies into this jar; it is converted to JSON once, at start-up.
 */
@Path("/v1/openapi.json")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenApiResource {
    static final String SOURCE = "openapi.yaml";

    private final String description;

    public OpenApiResource(ObjectMapper json) {
        try (InputStream yaml = OpenApiResource.class.getResourceAsStream(SOURCE)) {
            if (yaml == null) {
                throw new IllegalStateException(SOURCE + " is missing from the jar (the build copies docs/openapi.yaml)");
            }
            this.description = json.writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API description " + SOURCE, e);
        }
    }

    @GET
    public String get() {
        return description;
    }
}
