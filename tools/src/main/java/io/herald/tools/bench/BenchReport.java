package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's report: the JSON with the run's settings and figures, the budgets checked against it (with
 * {@code --quick}), the HTML report and its PNG charts, and the verdict line; returns the exit code.
 */
final class BenchReport {
    private final BenchOptions options;
    private final Map<String, Timeline> timelines;
    private final LatencyRecorder latency;
    private final ProcessFigures figures;

    BenchReport(BenchOptions options, Map<String, Timeline> timelines, LatencyRecorder latency, ProcessFigures figures) {
        this.options = options;
        this.timelines = timelines;
        this.latency = latency;
        this.figures = figures;
    }

    int write(Path work, Map<String, Object> result, Budgets budgets) throws Exception {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("date", LocalDateTime.now().toString());
        full.put("mode", options.quick ? "quick" : options.mode);
        full.put("channel", options.channel);
        full.put("workers", options.mode.equals("e2e") ? 2 : options.workers);
        full.put("warmup", options.warmup);
        full.put("prefilled", options.prefill);
        full.put("cores", Runtime.getRuntime().availableProcessors());
        full.put("tuning", options.tuning);
        full.putAll(result);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<String> budgetFailures = List.of();
        List<String> budgetNotChecked = List.of();
        if (budgets != null) {
            List<Budgets.Check> checks = budgets.check(GuardFigures.of(json.valueToTree(full)));
            full.put("budgets", budgets.asReport(checks));
            budgetFailures = budgets.failures(checks);
            budgetNotChecked = budgets.notChecked(checks);
        }
        Path out = options.out != null ? options.out
                : work.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()) + "-" + full.get("mode") + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writeValue(out.toFile(), full);
        Path html = writeHtmlAndCharts(json.valueToTree(full), out);
        ReportTable.print(json.valueToTree(full));
        System.out.println("report written to " + out + " and " + html);
        budgetNotChecked.forEach(System.out::println);
        budgetFailures.forEach(System.out::println);
        boolean correct = (long) full.get("lost") == 0 && (long) full.get("duplicated") == 0;
        System.out.println(correct ? "RESULT: correct (no loss, no duplicate)" : "RESULT: WRONG: messages were lost or duplicated");
        if (budgets != null) {
            System.out.println(budgetFailures.isEmpty() ? "BUDGETS: every figure within its budget" : "BUDGETS: exceeded (see above)");
        }
        return correct && budgetFailures.isEmpty() ? 0 : 1;
    }

    /** Writes the HTML report beside the JSON, and each chart as a PNG beside both; returns the HTML file. */
    private Path writeHtmlAndCharts(JsonNode report, Path out) throws Exception {
        String base = out.getFileName().toString().replaceFirst("\\.json$", "");
        Map<String, List<Timeline.Point>> throughput = new LinkedHashMap<>();
        timelines.forEach((system, t) -> throughput.put(system, t.points()));
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        Map<String, Double> rates = new LinkedHashMap<>();
        report.path("against").fields().forEachRemaining(e -> {
            rates.put(e.getKey(), e.getValue().path("messagesPerSecond").asDouble());
            Map<String, Double> used = new LinkedHashMap<>();
            e.getValue().path("cpuSeconds").fields().forEachRemaining(p -> used.put(p.getKey(), p.getValue().asDouble()));
            cpu.put(e.getKey(), used);
        });
        if (cpu.isEmpty()) {
            cpu.put("Herald", figures.cpuInWindow());
        }
        List<ReportCharts.Chart> charts = ReportCharts.build(new ReportCharts.Data(throughput, latency.distribution(), cpu, rates));
        for (ReportCharts.Chart chart : charts) {
            chart.png(out.toAbsolutePath().getParent(), base);
        }
        Path html = out.resolveSibling(base + ".html");
        Files.writeString(html, HtmlReport.render("Herald bench: " + report.path("mode").asText() + ", " + report.path("date").asText(),
                report, charts));
        return html;
    }
}
