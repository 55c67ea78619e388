package io.herald.tools.bench;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts, built once with JFreeChart and drawn twice: as inline SVG for the HTML report
 * (JFreeSVG, no script, no network) and as PNG files for docs/PERFORMANCE.md (Java2D, headless).
 */
final class ReportCharts {
    static final int WIDTH = 760;
    static final int HEIGHT = 340;

    /** A named chart, ready to draw. */
    record Chart(String name, JFreeChart chart) {
        String svg() {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g, new Rectangle(WIDTH, HEIGHT));
            return g.getSVGElement();
        }

        Path png(Path dir, String prefix) throws IOException {
            Path file = dir.resolve(prefix + "-" + name + ".png");
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
            return file;
        }
    }

    /** What the charts show; {@code throughput} holds one timeline per system (Herald, and db-scheduler with --against). */
    record Data(Map<String, List<Timeline.Point>> throughput, List<LatencyRecorder.Point> latency,
            Map<String, Map<String, Double>> cpuSecondsBySystem, Map<String, Double> messagesPerSecondBySystem) {}

    private ReportCharts() {}

    static List<Chart> build(Data data) {
        System.setProperty("java.awt.headless", "true");
        List<Chart> charts = new ArrayList<>();
        if (data.throughput().values().stream().anyMatch(t -> !t.isEmpty())) {
            charts.add(new Chart("throughput", throughput(data.throughput())));
        }
        if (!data.latency().isEmpty()) {
            charts.add(new Chart("latency", latency(data.latency())));
        }
        if (data.cpuSecondsBySystem().values().stream().anyMatch(m -> !m.isEmpty())) {
            charts.add(new Chart("cpu", bars("CPU seconds per process in the measured window", "CPU s", data.cpuSecondsBySystem())));
        }
        if (data.messagesPerSecondBySystem().size() > 1) {
            charts.add(new Chart("against", bars("Delivered messages/s, first enqueue to last delivery", "msg/s",
                    Map.of("msg/s", data.messagesPerSecondBySystem()))));
        }
        return charts;
    }

    private static JFreeChart throughput(Map<String, List<Timeline.Point>> timelines) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        timelines.forEach((system, points) -> {
            XYSeries series = new XYSeries(system);
            points.forEach(p -> series.add(p.seconds(), p.perSecond()));
            dataset.addSeries(series);
        });
        return style(ChartFactory.createXYLineChart("Throughput over time", "seconds since the start", "delivered/s",
                dataset, PlotOrientation.VERTICAL, true, false, false));
    }

    /** Latency against percentile on a log scale of 1/(1-p), so the tail (p99, p99.9) gets room. */
    private static JFreeChart latency(List<LatencyRecorder.Point> points) {
        XYSeries series = new XYSeries("latency");
        for (LatencyRecorder.Point p : points) {
            if (p.percentile() < 100) {
                series.add(1 / (1 - p.percentile() / 100), p.millis());
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Latency distribution (from the scheduled send time)", "percentile",
                "milliseconds", new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false, false);
        LogAxis axis = new LogAxis("percentile");
        axis.setBase(10);
        axis.setNumberFormatOverride(new PercentileFormat());
        ((XYPlot) chart.getPlot()).setDomainAxis(axis);
        return style(chart);
    }

    /** Horizontal bars, one group per category, one bar per series (a system, side by side with --against). */
    private static JFreeChart bars(String title, String axis, Map<String, Map<String, Double>> valuesBySeries) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        valuesBySeries.forEach((series, values) -> values.forEach((category, value) -> dataset.addValue(value, series, category)));
        return style(ChartFactory.createBarChart(title, null, axis, dataset, PlotOrientation.HORIZONTAL, valuesBySeries.size() > 1,
                false, false));
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7F7F7));
        return chart;
    }

    /** Labels a value v of 1/(1-p) as the percentile p: 10 is "90%", 1000 is "99.9%". */
    static final class PercentileFormat extends NumberFormat {
        private static final DecimalFormat DIGITS = new DecimalFormat("0.###");

        @Override
        public StringBuffer format(double value, StringBuffer to, FieldPosition pos) {
            return to.append(DIGITS.format(100 * (1 - 1 / value))).append('%');
        }

        @Override
        public StringBuffer format(long value, StringBuffer to, FieldPosition pos) {
            return format((double) value, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
