package io.herald.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTest {
    private static final int ER_DUP_ENTRY = 1062;

    @Test
    void gives_a_single_placeholder_for_one_value() {
        assertThat(Sql.placeholders(1)).isEqualTo("?");
    }

    @Test
    void separates_placeholders_with_commas() {
        assertThat(Sql.placeholders(3)).isEqualTo("?,?,?");
    }

    @Test
    void gives_row_constructor_pairs_for_a_two_column_in_list() {
        assertThat(Sql.pairPlaceholders(1)).isEqualTo("(?,?)");
        assertThat(Sql.pairPlaceholders(3)).isEqualTo("(?,?),(?,?),(?,?)");
        assertThatThrownBy(() -> Sql.pairPlaceholders(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gives_exactly_n_placeholders_for_a_long_list() {
        String sql = Sql.placeholders(1_000);

        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(1_000);
        assertThat(sql).hasSize(1_999).doesNotStartWith(",").doesNotEndWith(",").doesNotContain(",,");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void refuses_an_empty_in_list(int n) {
        assertThatThrownBy(() -> Sql.placeholders(n)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recognises_a_duplicate_key_error() {
        assertThat(Sql.isDuplicateKey(new SQLException("Duplicate entry 'x' for key 'uq'", "23000", ER_DUP_ENTRY))).isTrue();
    }

    @Test
    void recognises_a_duplicate_key_integrity_violation() {
        SQLException e = new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", ER_DUP_ENTRY);

        assertThat(Sql.isDuplicateKey(e)).isTrue();
    }

    @Test
    void recognises_a_duplicate_key_error_as_the_cause_of_a_batch_failure() {
        SQLException cause = new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", ER_DUP_ENTRY);
        BatchUpdateException batch = new BatchUpdateException("batch failed", "HY000", 0, new int[] {1, -3}, cause);

        assertThat(Sql.isDuplicateKey(batch)).isTrue();
    }

    @Test
    void recognises_a_duplicate_key_error_behind_a_non_sql_cause() {
        SQLException outer = new SQLException("wrapped", new RuntimeException(new SQLException("dup", "23000", ER_DUP_ENTRY)));

        assertThat(Sql.isDuplicateKey(outer)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1061, 1063, 1213, 1452})
    void does_not_mistake_other_errors_for_a_duplicate_key(int errorCode) {
        SQLException e = new SQLException("some failure", "23000", errorCode, new SQLException("cause", "HY000", 1205));

        assertThat(Sql.isDuplicateKey(e)).isFalse();
    }

    @Test
    void does_not_mistake_an_integrity_violation_of_another_kind_for_a_duplicate_key() {
        SQLException foreignKey = new SQLIntegrityConstraintViolationException("Cannot add or update a child row", "23000", 1452);

        assertThat(Sql.isDuplicateKey(foreignKey)).isFalse();
    }

    @Test
    void converts_a_timestamp_to_an_instant_and_null_to_null() {
        Instant at = Instant.parse("2024-05-06T07:08:09.123Z");

        assertThat(Sql.instant(Timestamp.from(at))).isEqualTo(at);
        assertThat(Sql.instant(null)).isNull();
    }
}
