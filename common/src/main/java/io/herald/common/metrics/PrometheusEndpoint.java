package io.herald.common.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Serves the node's metrics in Prometheus format at /prometheus on the admin port: its own labelled
 * metrics (histograms, labelled counters and gauges, registered in the registry returned here), its
 * Dropwizard metrics, and the JVM's.
 */
public final class PrometheusEndpoint {
    public static final String PATH = PrometheusText.PATH;
    /**
     * The leader's claim as a Dropwizard timer: in /metrics, where the bench reads its percentiles and
     * maximum from the reservoir, but not here, where {@code herald_claim_duration_seconds} (a histogram
     * that adds up across masters) stands for it.
     */
    public static final String CLAIM_TIMER = "herald.master.claim_time";

    private PrometheusEndpoint() {}

    public static PrometheusRegistry install(Environment environment) {
        // A registry per node, not the global one: tests run several nodes in one JVM.
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricRegistry metrics = environment.metrics();
        DropwizardExports.builder().dropwizardRegistry(metrics)
                .metricFilter((name, metric) -> !name.equals(CLAIM_TIMER)).register(registry);
        JvmMetrics.builder().register(registry);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
        return registry;
    }
}
