package io.herald.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @Test
    void splits_a_plain_url_into_server_and_database() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://127.0.0.1:3306/herald");

        assertThat(url.serverUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3306/");
        assertThat(url.database()).isEqualTo("herald");
    }

    @Test
    void keeps_the_query_on_the_server_url() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://db:3306/herald?useSSL=false&allowPublicKeyRetrieval=true");

        assertThat(url.serverUrl()).isEqualTo("jdbc:mysql://db:3306/?useSSL=false&allowPublicKeyRetrieval=true");
        assertThat(url.database()).isEqualTo("herald");
    }

    @Test
    void accepts_a_host_without_a_port() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://db.internal/herald_prod");

        assertThat(url.serverUrl()).isEqualTo("jdbc:mysql://db.internal/");
        assertThat(url.database()).isEqualTo("herald_prod");
    }

    @Test
    void accepts_several_hosts() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://db1:3306,db2:3306/herald");

        assertThat(url.serverUrl()).isEqualTo("jdbc:mysql://db1:3306,db2:3306/");
        assertThat(url.database()).isEqualTo("herald");
    }

    @Test
    void accepts_digits_underscores_and_dollars_in_the_database_name() {
        assertThat(DatabaseUrl.parse("jdbc:mysql://db/Herald_2$test").database()).isEqualTo("Herald_2$test");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:mysql://db:3306",
            "jdbc:mysql://db:3306/",
            "jdbc:mysql://db:3306/?useSSL=false",
            "jdbc:postgresql://db:5432/herald",
            "mysql://db:3306/herald",
            "jdbc:mysql:///herald",
            "jdbc:mysql://db:3306/her-ald",
            "jdbc:mysql://db:3306/herald/extra",
            "jdbc:mysql://db:3306/herald`; DROP DATABASE x; --",
            ""})
    void rejects_a_url_without_a_plain_database_name(String bad) {
        assertThatThrownBy(() -> DatabaseUrl.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://host:port/database");
    }

    @Test
    void names_the_bad_url_in_the_error() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:mysql://db/bad-name"))
                .hasMessageEndingWith("jdbc:mysql://db/bad-name");
    }

    @Test
    void swaps_in_another_database() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://127.0.0.1:3306/herald");

        assertThat(url.withDatabase("herald_test_1")).isEqualTo("jdbc:mysql://127.0.0.1:3306/herald_test_1");
    }

    @Test
    void swaps_in_another_database_before_the_query() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://db:3306/herald?useSSL=false&user=x");

        assertThat(url.withDatabase("other")).isEqualTo("jdbc:mysql://db:3306/other?useSSL=false&user=x");
    }

    @Test
    void swapping_in_the_same_database_gives_back_the_original_url() {
        String original = "jdbc:mysql://db1:3306,db2:3306/herald?connectTimeout=5000";

        assertThat(DatabaseUrl.parse(original).withDatabase("herald")).isEqualTo(original);
    }

    @Test
    void swaps_in_another_database_when_the_query_contains_a_slash() {
        // serverTimezone=Europe/Berlin is a common Connector/J option; its '/' is not the database separator.
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://db:3306/herald?serverTimezone=Europe/Berlin");

        assertThat(url.database()).isEqualTo("herald");
        assertThat(url.serverUrl()).isEqualTo("jdbc:mysql://db:3306/?serverTimezone=Europe/Berlin");
        assertThat(url.withDatabase("other")).isEqualTo("jdbc:mysql://db:3306/other?serverTimezone=Europe/Berlin");
    }

    @Test
    void the_result_of_with_database_parses_back_to_the_new_database() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mysql://db:3306/herald?sslMode=DISABLED");

        DatabaseUrl swapped = DatabaseUrl.parse(url.withDatabase("herald_it"));

        assertThat(swapped.database()).isEqualTo("herald_it");
        assertThat(swapped.serverUrl()).isEqualTo(url.serverUrl());
    }
}
