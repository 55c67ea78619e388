package io.herald.common.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An unsubscribe token says who is opted out of what, and nothing about it can be changed without the key. */
class UnsubscribeTokenTest {
    private static final UnsubscribeToken TOKENS = new UnsubscribeToken("k".repeat(32));
    private static final UnsubscribeToken.Claims ANA = new UnsubscribeToken.Claims("newsroom", "email", "ana@example.org", "digest");

    @Test
    void a_signed_token_verifies_to_its_claims() {
        assertThat(TOKENS.verify(TOKENS.sign(ANA))).contains(ANA);
        UnsubscribeToken.Claims everything = new UnsubscribeToken.Claims("newsroom", "email", "user-7", null);
        assertThat(TOKENS.verify(TOKENS.sign(everything))).contains(everything);
    }

    @Test
    void a_token_signed_with_another_key_is_refused() {
        assertThat(new UnsubscribeToken("x".repeat(32)).verify(TOKENS.sign(ANA))).isEmpty();
    }

    @Test
    void a_token_whose_payload_names_another_recipient_is_refused() {
        String token = TOKENS.sign(ANA);
        String signature = token.substring(token.indexOf('.') + 1);
        String bob = TOKENS.sign(new UnsubscribeToken.Claims("newsroom", "email", "bob@example.org", "digest"));
        String bobsPayload = bob.substring(0, bob.indexOf('.'));
        // Ana's signature on Bob's payload: replaying her link for him must not work.
        assertThat(TOKENS.verify(bobsPayload + "." + signature)).isEmpty();
    }

    @Test
    void no_two_claims_share_a_payload_however_their_fields_split() {
        String a = TOKENS.sign(new UnsubscribeToken.Claims("app", "email", "ab", "c"));
        String b = TOKENS.sign(new UnsubscribeToken.Claims("app", "email", "a", "bc"));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void every_flipped_bit_of_the_payload_is_refused() {
        String token = TOKENS.sign(ANA);
        int dot = token.indexOf('.');
        byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
        for (int i = 0; i < payload.length * 8; i++) {
            byte[] changed = payload.clone();
            changed[i / 8] ^= (byte) (1 << (i % 8));
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(changed) + token.substring(dot);
            assertThat(TOKENS.verify(forged)).as("bit %d", i).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "abc", "a.b.c", "!!!.???", "AQ.AQ"})
    void malformed_tokens_are_refused(String token) {
        assertThat(TOKENS.verify(token)).isEmpty();
    }

    @Test
    void a_token_longer_than_the_bound_is_refused_unread() {
        assertThat(TOKENS.verify("A".repeat(UnsubscribeToken.MAX_CHARS + 1) + ".A")).isEmpty();
        assertThat(TOKENS.verify(null)).isEmpty();
    }

    @Test
    void the_longest_real_token_fits_the_bound() {
        String token = TOKENS.sign(new UnsubscribeToken.Claims("a".repeat(64), "webhook", "\u00e9".repeat(255) + "x".repeat(510),
                "c".repeat(64)));
        assertThat(token.length()).isLessThanOrEqualTo(UnsubscribeToken.MAX_CHARS);
    }
}
