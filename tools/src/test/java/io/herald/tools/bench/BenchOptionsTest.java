package io.herald.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaults_to_a_drain_of_200000_webhook_messages_on_two_workers() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertThat(o.mode).isEqualTo("drain");
        assertThat(o.messages).isEqualTo(200_000);
        assertThat(o.workers).isEqualTo(2);
        assertThat(o.channel).isEqualTo("webhook");
    }

    @Test
    void quick_is_a_small_drain_and_email_defaults_to_fewer_messages() {
        assertThat(BenchOptions.parse(new String[] {"--quick"}).messages).isEqualTo(2_000);
        assertThat(BenchOptions.parse(new String[] {"--channel", "email"}).messages).isEqualTo(20_000);
        assertThat(BenchOptions.parse(new String[] {"--channel", "email", "--messages", "500"}).messages).isEqualTo(500);
    }

    @Test
    void warm_up_defaults_per_mode_and_quick_warms_up_with_1000() {
        assertThat(BenchOptions.parse(new String[0]).warmup).isEqualTo(20_000);
        assertThat(BenchOptions.parse(new String[] {"--mode", "steady"}).warmup).isEqualTo(15);
        assertThat(BenchOptions.parse(new String[] {"--quick"}).warmup).isEqualTo(1_000);
        assertThat(BenchOptions.parse(new String[] {"--warmup", "0"}).warmup).isZero();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--warmup", "-1"}))
                .hasMessage("--warmup must be a non-negative whole number, not '-1'");
    }

    @Test
    void tuning_flags_become_the_nodes_environment() {
        BenchOptions o = BenchOptions.parse(new String[] {"--claim-batch", "4000", "--max-in-flight", "64", "--messages", "1_000"});
        assertThat(o.tuning).containsEntry("MASTER_CLAIM_BATCH_SIZE", "4000").containsEntry("WORKER_MAX_IN_FLIGHT", "64");
        assertThat(o.messages).isEqualTo(1_000);
    }

    @Test
    void bad_input_is_a_one_line_error_naming_the_option() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--workers", "zero"}))
                .hasMessage("--workers must be a positive whole number, not 'zero'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "fast"}))
                .hasMessage("--mode must be one of drain|steady|e2e, not 'fast'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rate"})).hasMessage("--rate needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--colour", "red"})).hasMessageContaining("unknown option '--colour'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "steady", "--channel", "email"}))
                .hasMessageContaining("--channel webhook");
    }

    @Test
    void against_means_end_to_end_with_50000_messages_and_no_warm_up() {
        BenchOptions o = BenchOptions.parse(new String[] {"--against", "db-scheduler"});
        assertThat(o.mode).isEqualTo("e2e");
        assertThat(o.messages).isEqualTo(50_000);
        assertThat(o.warmup).isZero();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--against", "quartz"}))
                .hasMessage("--against must be one of db-scheduler, not 'quartz'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--against", "db-scheduler", "--mode", "drain"}))
                .hasMessageContaining("--mode e2e");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "e2e", "--warmup", "10"}))
                .hasMessageContaining("leave out --warmup");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "e2e", "--claim-batch", "10"}))
                .hasMessageContaining("defaults of config.yml");
    }

    @Test
    void a_slow_receiver_brings_eight_healthy_destinations_unless_told_otherwise() {
        BenchOptions o = BenchOptions.parse(new String[] {"--slow-receiver", "5s"});
        assertThat(o.slowReceiver.delay()).hasSeconds(5);
        assertThat(o.receivers).isEqualTo(8);
        assertThat(BenchOptions.parse(new String[] {"--slow-receiver", "never", "--receivers", "3"}).receivers).isEqualTo(3);
        assertThat(BenchOptions.parse(new String[] {"--slow-receiver", "never"}).slowReceiver.answers()).isFalse();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--slow-receiver", "soon"}))
                .hasMessage("--slow-receiver must be a delay like 5s or 800ms, or never, not 'soon'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--slow-receiver", "0s"})).hasMessageContaining("not '0s'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--receivers", "65"})).hasMessage("--receivers must be at most 64, not 65");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--slow-receiver", "5s", "--channel", "log"}))
                .hasMessageContaining("--channel webhook");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "e2e", "--slow-receiver", "5s"}))
                .hasMessageContaining("--mode drain or steady");
    }

    @Test
    void profile_prefill_and_budgets_are_read() {
        BenchOptions o = BenchOptions.parse(new String[] {"--profile", "--prefill", "1,000,000", "--budgets", "b.properties"});
        assertThat(o.profile).isTrue();
        assertThat(o.prefill).isEqualTo(1_000_000);
        assertThat(o.budgets).hasToString("b.properties");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--prefill", "0"})).hasMessageContaining("positive");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--quick", "--mode", "steady"})).hasMessageContaining("--quick is a drain");
    }
}
