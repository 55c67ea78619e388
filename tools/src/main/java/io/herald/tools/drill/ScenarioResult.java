package io.herald.tools.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario did and whether its own checks held; the drill-wide invariants are checked at the end. */
final class ScenarioResult {
    record Check(String what, boolean held, String detail) {}

    final String name;
    final List<Check> checks = new ArrayList<>();
    final Map<String, Object> figures = new LinkedHashMap<>();
    long seconds;

    ScenarioResult(String name) {
        this.name = name;
    }

    void check(String what, boolean held, String detail) {
        checks.add(new Check(what, held, detail));
        System.out.printf("    %s %s%s%n", held ? "ok  " : "FAIL", what, detail.isEmpty() ? "" : " (" + detail + ")");
    }

    void figure(String name, Object value) {
        figures.put(name, value);
    }

    boolean passed() {
        return checks.stream().allMatch(Check::held);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", name);
        json.put("passed", passed());
        json.put("seconds", seconds);
        json.putAll(figures);
        json.put("checks", checks);
        return json;
    }
}
