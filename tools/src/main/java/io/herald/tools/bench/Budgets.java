package io.herald.tools.bench;

import io.herald.tools.cli.Args.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The CI guard's budgets (tools/bench-budgets.properties): one figure per line, each measured per
 * message (or per 1,000 messages) by the quick bench, so they do not depend on the machine's speed.
 * A figure fails when it exceeds its budget by more than {@code margin.percent}.
 */
final class Budgets {
    static final String MARGIN = "margin.percent";

    private final Path file;
    private final double marginPercent;
    private final Map<String, Double> budgets;

    private Budgets(Path file, double marginPercent, Map<String, Double> budgets) {
        this.file = file;
        this.marginPercent = marginPercent;
        this.budgets = budgets;
    }

    /** Reads and checks the file: every value a non-negative number, the margin given. */
    static Budgets load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Map<String, Double> budgets = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            budgets.put(name, number(file, name, p.getProperty(name)));
        }
        Double margin = budgets.remove(MARGIN);
        if (margin == null) {
            throw new UsageException(file + " must set " + MARGIN);
        }
        return new Budgets(file, margin, budgets);
    }

    private static double number(Path file, String name, String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(file + ": " + name + " must be a non-negative number, not '" + value.strip() + "'");
    }

    /** One figure against its budget; {@code untrusted} is why it was not checked, or null. */
    record Check(String figure, double value, double budget, double limit, boolean passed, String untrusted) {}

    /**
     * Every budgeted figure against the measured ones; a budget whose figure was not measured fails
     * (a renamed figure must not silently drop out of the guard), unless the guard says why it could
     * not be trusted in this run.
     */
    List<Check> check(GuardFigures.Guard guard) {
        List<Check> checks = new ArrayList<>();
        budgets.forEach((name, budget) -> {
            double limit = budget * (1 + marginPercent / 100);
            Double value = guard.figures().get(name);
            String untrusted = guard.untrusted().get(name);
            boolean passed = untrusted != null || value != null && value <= limit;
            checks.add(new Check(name, value == null ? Double.NaN : value, budget, limit, passed, untrusted));
        });
        return checks;
    }

    /** Lines for the figures that were not checked, and why. */
    List<String> notChecked(List<Check> checks) {
        return checks.stream().filter(c -> c.untrusted() != null)
                .map(c -> "BUDGET NOT CHECKED: %s: %s; run where nothing else uses the server (CI does)".formatted(c.figure(), c.untrusted()))
                .toList();
    }

    /** The lines to print for the failed checks: figure, budget, margin, and the file to change. */
    List<String> failures(List<Check> checks) {
        List<String> lines = new ArrayList<>();
        for (Check c : checks) {
            if (!c.passed()) {
                lines.add(Double.isNaN(c.value())
                        ? "BUDGET: %s was not measured (budget %s in %s)".formatted(c.figure(), c.budget(), file)
                        : "BUDGET EXCEEDED: %s = %s, budget %s (+%s%% margin: at most %s); if this is intended, raise it in %s with the reason in the commit"
                                .formatted(c.figure(), c.value(), c.budget(), marginPercent, DatabaseCounters.round(c.limit()), file));
            }
        }
        return lines;
    }

    Map<String, Object> asReport(List<Check> checks) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", file.toString());
        report.put("marginPercent", marginPercent);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("figure", c.figure());
            row.put("value", Double.isNaN(c.value()) ? null : c.value());
            row.put("budget", c.budget());
            row.put("limit", DatabaseCounters.round(c.limit()));
            row.put("passed", c.passed());
            row.put("notCheckedBecause", c.untrusted());
            rows.add(row);
        }
        report.put("checks", rows);
        return report;
    }
}
