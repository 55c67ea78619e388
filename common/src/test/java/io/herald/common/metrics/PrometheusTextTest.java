package io.herald.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String PAGE = """
            # HELP herald_messages_total Send attempts by outcome
            # TYPE herald_messages_total counter
            herald_messages_total{channel="email",status="sent"} 3.0
            herald_messages_total{channel="log",status="sent"} 1200.0
            herald_messages_total{channel="log",status="retried"} 7.0
            herald_messages_total_other{channel="log",status="sent"} 99.0
            herald_worker_sends_in_flight 12.0 1764763200000
            herald_worker_sends_in_flight_max 99.0
            """;

    @Test
    void sums_the_samples_of_one_metric_that_carry_the_label_over_every_other_label() {
        assertThat(PrometheusText.sum(PAGE, "herald_messages_total", "status=\"sent\"")).isEqualTo(1203.0);
        assertThat(PrometheusText.sum(PAGE, "herald_messages_total", "status=\"dead_lettered\"")).isZero();
    }

    @Test
    void without_a_label_it_reads_an_unlabelled_sample_and_ignores_its_timestamp_and_longer_names() {
        assertThat(PrometheusText.sum(PAGE, "herald_worker_sends_in_flight", "")).isEqualTo(12.0);
        assertThat(PrometheusText.sum(PAGE, "herald_messages_total", "")).isEqualTo(1210.0);
        assertThat(PrometheusText.sum(PAGE, "herald_absent", "")).isZero();
    }
}
