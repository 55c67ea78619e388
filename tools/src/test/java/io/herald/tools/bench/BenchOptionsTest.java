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
    void warm_up_defaults_per_mode_and_quick_skips_it() {
        assertThat(BenchOptions.parse(new String[0]).warmup).isEqualTo(20_000);
        assertThat(BenchOptions.parse(new String[] {"--mode", "steady"}).warmup).isEqualTo(15);
        assertThat(BenchOptions.parse(new String[] {"--quick"}).warmup).isZero();
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
                .hasMessage("--mode must be one of drain|steady, not 'fast'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rate"})).hasMessage("--rate needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--colour", "red"})).hasMessageContaining("unknown option '--colour'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "steady", "--channel", "email"}))
                .hasMessageContaining("--channel webhook");
    }
}
