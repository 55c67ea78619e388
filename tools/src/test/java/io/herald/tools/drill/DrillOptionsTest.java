package io.herald.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.tools.cli.Args.UsageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrillOptionsTest {
    @Test
    void defaults_run_every_scenario_on_three_masters_and_three_workers() {
        DrillOptions o = DrillOptions.parse(new String[0]);
        assertThat(o.scenarios).containsExactly(Scenario.values());
        assertThat(o.masters).isEqualTo(3);
        assertThat(o.workers).isEqualTo(3);
        assertThat(o.sessionTimeout).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.unknownOutcomes()).containsExactly("park", "resend");
    }

    @Test
    void unknown_outcome_chooses_the_loads_applications() {
        assertThat(DrillOptions.parse(new String[] {"--unknown-outcome", "park"}).unknownOutcomes()).containsExactly("park");
        assertThat(DrillOptions.parse(new String[] {"--unknown-outcome", "resend"}).unknownOutcomes()).containsExactly("resend");
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--unknown-outcome", "retry"}))
                .isInstanceOf(UsageException.class).hasMessage("--unknown-outcome must be park, resend or both, not 'retry'");
    }

    @Test
    void scenarios_durations_and_counts_are_read() {
        DrillOptions o = DrillOptions.parse(new String[] {"--scenarios", "db-cut, leader-kill", "--session-timeout", "6s",
                "--lease", "1500ms", "--seed", "9", "--rate", "250", "--masters", "2"});
        assertThat(o.scenarios).containsExactly(Scenario.DB_CUT, Scenario.LEADER_KILL);
        assertThat(o.sessionTimeout).isEqualTo(Duration.ofSeconds(6));
        assertThat(o.lease).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.seed).isEqualTo(9);
        assertThat(o.rate).isEqualTo(250);
        assertThat(o.masters).isEqualTo(2);
    }

    @Test
    void bad_values_are_one_line_errors_that_name_the_option() {
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--scenarios", "leader-kil"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown scenario 'leader-kil'");
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--session-timeout", "1s"}))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--session-timeout must be between 2s and 10s");
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--lease", "soon"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--lease must be a positive duration");
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--masters", "1"}))
                .isInstanceOf(UsageException.class).hasMessage("--masters must be between 2 and 5, not 1");
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--rate"}))
                .isInstanceOf(UsageException.class).hasMessage("--rate needs a value");
        assertThatThrownBy(() -> DrillOptions.parse(new String[] {"--bogus"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option '--bogus'");
    }
}
