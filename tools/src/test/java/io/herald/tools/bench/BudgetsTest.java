package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.tools.cli.Args.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetsTest {
    @TempDir
    Path dir;

    private Budgets budgets(String text) throws Exception {
        Path file = dir.resolve("budgets.properties");
        Files.writeString(file, text);
        return Budgets.load(file);
    }

    @Test
    void a_figure_within_budget_plus_margin_passes_and_one_past_it_fails_with_figure_budget_and_file() throws Exception {
        Budgets b = budgets("# a comment\nmargin.percent=25\nstatementsPerMessage=0.4\nworkers.threadsStartedPer1000=2\n");
        List<Budgets.Check> checks = b.check(measured(Map.of("statementsPerMessage", 0.5, "workers.threadsStartedPer1000", 2.6)));
        assertThat(checks).extracting(Budgets.Check::figure, Budgets.Check::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("statementsPerMessage", true),
                        org.assertj.core.groups.Tuple.tuple("workers.threadsStartedPer1000", false));
        assertThat(b.failures(checks)).singleElement().asString()
                .contains("workers.threadsStartedPer1000 = 2.6", "budget 2.0", "+25.0% margin: at most 2.5")
                .contains(dir.resolve("budgets.properties").toString());
    }

    private static GuardFigures.Guard measured(Map<String, Double> figures) {
        return new GuardFigures.Guard(figures, Map.of());
    }

    @Test
    void a_figure_that_could_not_be_trusted_is_not_checked_and_says_why() throws Exception {
        Budgets b = budgets("margin.percent=10\nrowsReadPerMessage=9\ncommitsPerMessage=1\n");
        List<Budgets.Check> checks = b.check(new GuardFigures.Guard(Map.of("commitsPerMessage", 5.0),
                Map.of("rowsReadPerMessage", "other clients")));
        assertThat(b.failures(checks)).singleElement().asString().contains("commitsPerMessage = 5.0");
        assertThat(b.notChecked(checks)).singleElement().asString().contains("rowsReadPerMessage: other clients");
    }

    @Test
    void a_budgeted_figure_that_was_not_measured_fails() throws Exception {
        Budgets b = budgets("margin.percent=10\nrowsReadPerMessage=9\n");
        List<Budgets.Check> checks = b.check(measured(Map.of()));
        assertThat(checks).singleElement().extracting(Budgets.Check::passed).isEqualTo(false);
        assertThat(b.failures(checks)).singleElement().asString().contains("rowsReadPerMessage was not measured");
    }

    @Test
    void figures_without_a_budget_are_not_checked() throws Exception {
        assertThat(budgets("margin.percent=10\n").check(measured(Map.of("statementsPerMessage", 99.0)))).isEmpty();
    }

    @Test
    void a_bad_file_is_a_one_line_error() {
        assertThatThrownBy(() -> budgets("statementsPerMessage=1\n")).isInstanceOf(UsageException.class)
                .hasMessageContaining("must set margin.percent");
        assertThatThrownBy(() -> budgets("margin.percent=10\ncommitsPerMessage=lots\n")).isInstanceOf(UsageException.class)
                .hasMessageContaining("commitsPerMessage must be a non-negative number, not 'lots'");
        assertThatThrownBy(() -> budgets("margin.percent=-1\n")).hasMessageContaining("margin.percent must be a non-negative number");
    }

    @Test
    void the_committed_budgets_file_loads_and_budgets_every_guard_figure() throws Exception {
        Budgets committed = Budgets.load(Path.of("bench-budgets.properties"));
        Map<String, Double> everyFigure = new java.util.HashMap<>();
        for (String f : GuardFigures.DATABASE) {
            everyFigure.put(f, 0.0);
        }
        for (String role : List.of("masters", "workers")) {
            for (String f : GuardFigures.PER_PROCESS) {
                everyFigure.put(role + "." + f, 0.0);
            }
        }
        List<Budgets.Check> checks = committed.check(measured(everyFigure));
        assertThat(checks).extracting(Budgets.Check::figure).containsExactlyInAnyOrderElementsOf(everyFigure.keySet());
        assertThat(checks).allMatch(Budgets.Check::passed);
    }
}
