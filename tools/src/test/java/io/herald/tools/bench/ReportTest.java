package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ReportCharts.Data againstData() {
        Map<String, List<Timeline.Point>> throughput = new LinkedHashMap<>();
        throughput.put("Herald", List.of(new Timeline.Point(0.5, 900), new Timeline.Point(1.0, 1_100)));
        throughput.put("db-scheduler", List.of(new Timeline.Point(0.5, 300), new Timeline.Point(1.0, 320)));
        LatencyRecorder latency = new LatencyRecorder();
        for (int i = 1; i <= 1_000; i++) {
            latency.record(i * 100L);
        }
        return new ReportCharts.Data(throughput, latency.distribution(), Map.of("Herald", Map.of("bench-master", 3.5, "bench-worker-1", 7.0),
                "db-scheduler", Map.of("bench (client, db-scheduler)", 9.0)),
                Map.of("Herald", 1_000.0, "db-scheduler", 310.0));
    }

    @Test
    void every_chart_is_drawn_for_an_against_run_as_svg_and_as_png() throws Exception {
        List<ReportCharts.Chart> charts = ReportCharts.build(againstData());
        assertThat(charts).extracting(ReportCharts.Chart::name).containsExactly("throughput", "latency", "cpu", "against");
        for (ReportCharts.Chart chart : charts) {
            assertThat(chart.svg()).startsWith("<svg").contains("</svg>");
            Path png = chart.png(dir, "run");
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
            assertThat(head).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        }
        assertThat(charts.get(0).svg()).contains("Herald", "db-scheduler");
    }

    @Test
    void charts_without_data_are_left_out() {
        assertThat(ReportCharts.build(new ReportCharts.Data(Map.of("Herald", List.of()), List.of(), Map.of(), Map.of("Herald", 5.0))))
                .isEmpty();
    }

    @Test
    void the_html_report_is_self_contained_and_escapes_what_it_shows() throws Exception {
        JsonNode report = JSON.readTree("""
                {"mode":"e2e","messagesPerSecond":1234.5,"note":"<script>alert(1)</script>",
                 "processes":[{"process":"bench-master","cpuSeconds":1.5}],
                 "against":{"Herald":{"messagesPerSecond":1000},"db-scheduler":{"messagesPerSecond":310}}}""");
        String html = HtmlReport.render("Herald bench & co", report, ReportCharts.build(againstData()));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "bench-master", "1234.5", "Herald bench &amp; co",
                "&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).doesNotContain("<script", "<link", " src=", "@import");
        // Namespace names are identifiers, never fetched; anything else with a scheme would be a request.
        assertThat(html.replaceAll("xmlns(:\\w+)?='[^']*'", "")).doesNotContain("http://", "https://");
    }

    @Test
    void the_console_table_shows_processes_the_comparison_and_profiles() throws Exception {
        JsonNode report = JSON.readTree("""
                {"mode":"e2e","messagesPerSecond":1000,"lost":0,
                 "processes":[{"process":"bench-worker-1","cpuSeconds":2.0,"threadsStartedPer1000":1.5,"bytesAllocatedPerMessage":4000,
                   "profile":{"cpuSamples":10,"allocatedBytes":5000000,"threadsStarted":3,
                     "cpuSelf":[{"method":"io.herald.worker.X.send","weight":7,"share":70.0}],"cpuHerald":[],
                     "allocationSelf":[],"allocationHerald":[],"threadStarters":[]}}],
                 "against":{"Herald":{"messagesPerSecond":1000},"db-scheduler":{"messagesPerSecond":310}}}""");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReportTable.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("bench-worker-1", "4000", "db-scheduler", "310", "io.herald.worker.X.send", "70.0%");
    }
}
