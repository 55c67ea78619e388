package io.herald.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"someone@example.com", "first.last+tag@mail.example.org", "\"quoted local\"@example.com",
        "\"a\\\"b\"@example.com", "o'brien@example.ie", "jörg@bücher.example", "x@localhost", "a-b_c@sub-domain.example"})
    void a_mailbox_a_relay_accepts_is_accepted(String address) {
        assertThat(EmailAddress.problem(address, false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", "@example.com", "bob@", "bob@@example.com", ".bob@example.com", "bob.@example.com",
        "bo..b@example.com", "Bob <bob@example.com>", "bob@example.com (Bob)", "bob @example.com", "bob@-example.com",
        "bob@example-.com", "bob@exa_mple.com", "bob@example..com", "\"unterminated@example.com", "a,b@example.com"})
    void anything_else_is_refused(String address) {
        assertThat(EmailAddress.problem(address, false)).isPresent();
    }

    @Test
    void control_characters_are_refused_even_quoted() {
        assertThat(EmailAddress.problem("\"a\r\n\tRCPT TO:<x@evil.example>\"@example.com", false))
                .contains("must not contain control characters");
        assertThat(EmailAddress.problem("a\u0000@example.com", false)).contains("must not contain control characters");
        assertThat(EmailAddress.problem("a\u0085@example.com", false)).contains("must not contain control characters");
        assertThat(EmailAddress.problem("a\uD800@example.com", false)).contains("must not contain control characters");
    }

    @Test
    void a_domain_literal_needs_the_operators_permission() {
        assertThat(EmailAddress.problem("a@[127.0.0.1]", false)).hasValueSatisfying(p -> assertThat(p).contains("smtp.allowDomainLiterals"));
        assertThat(EmailAddress.problem("a@[127.0.0.1]", true)).isEmpty();
        assertThat(EmailAddress.problem("a@[IPv6:::1]", true)).isEmpty();
    }

    @Test
    void smtp_length_limits_hold() {
        assertThat(EmailAddress.problem("a".repeat(64) + "@example.com", false)).isEmpty();
        assertThat(EmailAddress.problem("a".repeat(65) + "@example.com", false)).isPresent();
        assertThat(EmailAddress.problem("a@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(60) + ".com", false)).isEmpty();
        assertThat(EmailAddress.problem("a@" + ("b".repeat(60) + ".").repeat(5) + "com", false))
                .hasValueSatisfying(p -> assertThat(p).contains("254 bytes"));
        assertThat(EmailAddress.problem("a@" + "b".repeat(64) + ".com", false)).isPresent();
    }

    @Test
    void escaping_keeps_a_log_line_one_line() {
        assertThat(ControlCharacters.escape("ops\r\n12:00:00.000 INFO forged")).isEqualTo("ops\\r\\n12:00:00.000 INFO forged");
        assertThat(ControlCharacters.escape("a\\nb\u0007\t")).isEqualTo("a\\\\nb\\u0007\\t");
        assertThat(ControlCharacters.escape("plain ünïcode 😀")).isEqualTo("plain ünïcode 😀");
        assertThat(ControlCharacters.any("x\uDC00")).isTrue();
        assertThat(ControlCharacters.any("😀")).isFalse();
    }
}
