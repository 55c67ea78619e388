package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeaderElectionTokenTest {

    @Test
    void reads_the_sequence_number_at_the_end_of_a_latch_path() {
        assertThat(LeaderElection.tokenOf("/leader/_c_abc-latch-0000000012")).isEqualTo(12L);
    }

    @Test
    void ignores_digits_earlier_in_the_path() {
        String path = "/herald/leader/_c_8f3e2a41-1b2c-4d5e-9f00-123456789abc-latch-0000000007";

        assertThat(LeaderElection.tokenOf(path)).isEqualTo(7L);
    }

    @Test
    void reads_a_sequence_number_of_zero() {
        assertThat(LeaderElection.tokenOf("/leader/_c_abc-latch-0000000000")).isZero();
    }

    @Test
    void reads_the_largest_ten_digit_sequence_number() {
        assertThat(LeaderElection.tokenOf("/leader/_c_abc-latch-2147483647")).isEqualTo(2_147_483_647L);
    }

    @Test
    void reads_a_sequence_number_larger_than_an_int() {
        assertThat(LeaderElection.tokenOf("/leader/_c_abc-latch-9876543210")).isEqualTo(9_876_543_210L);
    }

    @Test
    void orders_later_latch_nodes_after_earlier_ones() {
        assertThat(LeaderElection.tokenOf("/leader/_c_x-latch-0000000100"))
                .isGreaterThan(LeaderElection.tokenOf("/leader/_c_y-latch-0000000099"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/leader/_c_abc-latch-", "/leader/_c_abc-latch-0000000012/", "", "/leader/latch-12x"})
    void refuses_a_path_that_does_not_end_in_digits(String path) {
        assertThatThrownBy(() -> LeaderElection.tokenOf(path))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no sequence number");
    }

    @Test
    void refuses_a_null_path() {
        assertThatThrownBy(() -> LeaderElection.tokenOf(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a path");
    }
}
