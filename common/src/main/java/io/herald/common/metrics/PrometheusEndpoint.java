package io.herald.common.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Serves the node's Dropwizard metrics and JVM metrics in Prometheus format at /prometheus on the admin port. */
public final class PrometheusEndpoint {
    public static final String PATH = "/prometheus";

    private PrometheusEndpoint() {}

    public static void install(Environment environment) {
        // A registry per node, not the global one: tests run several nodes in one JVM.
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricRegistry metrics = environment.metrics();
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
        JvmMetrics.builder().register(registry);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
    }
}
