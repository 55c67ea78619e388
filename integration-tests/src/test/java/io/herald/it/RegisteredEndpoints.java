package io.herald.it;

import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/** Every method of every JAX-RS resource a node registers, read by reflection from its Jersey configuration. */
final class RegisteredEndpoints {
    /** One resource method: its HTTP method and its path template, such as {@code /v1/messages/{id}}. */
    record Endpoint(String method, String path) {
        /** The path with every parameter filled in with {@code 1}. */
        String samplePath() {
            return path.replaceAll("\\{[^}]+}", "1");
        }
    }

    private RegisteredEndpoints() {}

    static List<Endpoint> of(DropwizardTestSupport<HeraldConfiguration> node) {
        List<Endpoint> endpoints = new ArrayList<>();
        var config = node.getEnvironment().jersey().getResourceConfig();
        List<Class<?>> classes = new ArrayList<>(config.getClasses());
        config.getInstances().forEach(i -> classes.add(i.getClass()));
        for (Class<?> type : classes) {
            if (Resource.isAcceptable(type) && type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                collect(Resource.from(type), "", endpoints);
            }
        }
        return endpoints;
    }

    private static void collect(Resource resource, String parent, List<Endpoint> into) {
        String joined = (parent + "/" + resource.getPath()).replaceAll("/+", "/");
        String path = joined.endsWith("/") && joined.length() > 1 ? joined.substring(0, joined.length() - 1) : joined;
        for (ResourceMethod method : resource.getResourceMethods()) {
            into.add(new Endpoint(method.getHttpMethod(), path));
        }
        resource.getChildResources().forEach(child -> collect(child, path, into));
    }
}
