package io.herald.master.console;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.DropwizardResourceConfig;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.herald.common.admin.AdminAccessFilter;
import io.herald.master.resources.ErrorMappers;
import java.util.List;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Mounts the operator console on the admin port: the page at {@code /console/} ({@link ConsoleAssets})
 * and its JSON API at {@code /console/api/} (a Jersey application of its own, since Dropwizard's runs
 * on the API port). The admin port's access filter guards both: the API needs the admin token.
 */
public final class Console {
    /** The servlet path of the page's files; {@code AdminAccessFilter} serves it without the token. */
    public static final String ASSETS = AdminAccessFilter.CONSOLE_ASSETS;

    private Console() {}

    public static void mount(Environment environment, List<Object> resources) {
        DropwizardResourceConfig api = new DropwizardResourceConfig(environment.metrics());
        api.register(new JacksonFeature(environment.getObjectMapper()));
        api.register(new ErrorMappers.InvalidRequest());
        api.register(new ErrorMappers.DatabaseUnavailable());
        resources.forEach(api::register);
        environment.admin().addServlet("console-api", new ServletContainer(api)).addMapping(ASSETS + "/api/*");
        environment.admin().addServlet("console", new ConsoleAssets()).addMapping(ASSETS + "/*");
    }
}
