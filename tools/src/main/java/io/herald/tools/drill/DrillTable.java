package io.herald.tools.drill;

import java.util.List;

/** The drill's report as tables on the terminal: one row per scenario, then the totals and invariants. */
final class DrillTable {
    private DrillTable() {}

    static void print(List<ScenarioResult> results, Verdict v, int requeuedUnknown, long staleWritesRefused) {
        System.out.println();
        System.out.printf("%-16s %-6s %8s %12s %8s  %s%n", "scenario", "result", "seconds", "failover ms", "refused", "leader before -> after");
        System.out.printf("%-16s %-6s %8s %12s %8s  %s%n", "-".repeat(16), "-".repeat(6), "-".repeat(8), "-".repeat(12), "-".repeat(8), "-".repeat(24));
        for (ScenarioResult r : results) {
            Object before = r.figures.get("leaderBefore");
            System.out.printf("%-16s %-6s %8d %12s %8s  %s%n", r.name, r.passed() ? "ok" : "FAIL", r.seconds,
                    r.figures.getOrDefault("failoverMillis", "-"), r.figures.getOrDefault("staleWritesRefused", "-"),
                    before == null ? "-" : before + " -> " + r.figures.get("leaderAfter"));
            r.checks.stream().filter(c -> !c.held()).forEach(c -> System.out.printf("    FAIL %s (%s)%n", c.what(), c.detail()));
        }
        System.out.println();
        row("accepted", v.accepted, "");
        row("delivered", v.delivered, "kept by a receiver at least once");
        row("dead-lettered", v.deadLettered, "ended undelivered, with the reason stored");
        row("lost", v.lost, v.lost == 0 ? "invariant holds" : "BROKEN, e.g. ids " + v.lostSample);
        row("duplicated", v.duplicated, v.duplicated == 0 ? "invariant holds" : "BROKEN, e.g. ids " + v.duplicatedSample);
        row("ambiguous", v.ambiguousMessages, v.ambiguousRepeats + " repeats, each after an attempt Herald recorded as ambiguous"
                + (v.unrecordedAmbiguity == 0 ? "" : "; " + v.unrecordedAmbiguity + " message(s) kept unanswered more often than recorded"));
        row("operator requeues", requeuedUnknown, "'unknown' after a worker died mid-send, requeued at the end");
        row("resent, no operator", v.resentMessages, v.resendRepeats + " repeats (counted ambiguous above): unknownOutcome=resend"
                + (v.resendParked == 0 ? "" : "; BROKEN: " + v.resendParked + " parked with attempts left"));
        row("id mismatches", v.idMismatches, v.idMismatches == 0 ? "every repeat carried its webhook-id and Idempotency-Key" : "BROKEN");
        row("stale writes refused", staleWritesRefused, "by the fence, from leaders that had lost their term");
        row("left unfinished", v.unfinished, v.unfinished == 0 ? "invariant holds" : "BROKEN");
        System.out.printf("%-22s %10s  %s%n", "fence tokens", v.fenceMonotonic ? "monotonic" : "WENT BACK",
                v.fenceMonotonic ? "invariant holds" : "BROKEN");
        System.out.println();
    }

    private static void row(String name, long value, String note) {
        System.out.printf("%-22s %,10d  %s%n", name, value, note);
    }
}
