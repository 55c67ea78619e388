package io.herald.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against the published test vectors of standard-webhooks/standard-webhooks (libraries/python/tests/
 * test_webhooks.py, test_sign_function; the same secret, id, timestamp and payload across its libraries).
 */
class WebhookSignatureTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signs_the_spec_vector() {
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, PAYLOAD)).isEqualTo(EXPECTED);
    }

    @Test
    void a_secret_without_padding_decodes_as_the_spec_libraries_do() {
        // The vectors' "needs one padding" case: base64 without its trailing '='.
        String unpadded = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS";
        String padded = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=";
        assertThat(WebhookSignature.sign(unpadded, ID, TIMESTAMP, PAYLOAD)).isEqualTo(WebhookSignature.sign(padded, ID, TIMESTAMP, PAYLOAD));
    }

    @Test
    void verifies_the_vector_within_the_tolerance_and_refuses_it_outside() {
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, EXPECTED, TIMESTAMP + 299, 300)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, EXPECTED, TIMESTAMP + 301, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, EXPECTED, TIMESTAMP - 301, 300)).isFalse();
    }

    @Test
    void refuses_a_changed_payload_id_or_signature() {
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
                EXPECTED, TIMESTAMP, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "msg_other", TIMESTAMP, PAYLOAD, EXPECTED, TIMESTAMP, 300)).isFalse();
        // The spec's tests: a wrong signature value, an empty one, and a missing header.
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                TIMESTAMP, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, "v1,", TIMESTAMP, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, null, TIMESTAMP, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, "v2," + EXPECTED.substring(3), TIMESTAMP, 300)).isFalse();
    }

    @Test
    void during_a_rotation_the_header_carries_one_signature_per_secret_and_either_verifies() {
        String next = WebhookSignature.newSecret();
        String header = WebhookSignature.header(List.of(next, SECRET), ID, TIMESTAMP, PAYLOAD);

        assertThat(header.split(" ")).containsExactly(WebhookSignature.sign(next, ID, TIMESTAMP, PAYLOAD), EXPECTED);
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, header, TIMESTAMP, 300)).isTrue();
        assertThat(WebhookSignature.verify(next, ID, TIMESTAMP, PAYLOAD, header, TIMESTAMP, 300)).isTrue();
        // The spec's "multiple signatures" case: the valid one among others.
        String mixed = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + EXPECTED + " v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, mixed, TIMESTAMP, 300)).isTrue();
    }

    @Test
    void a_secret_from_before_standard_webhooks_signs_with_its_bytes_and_converts_for_receivers() {
        String legacy = "hs_Vf1mX2a7c";
        String standard = WebhookSignature.asStandardSecret(legacy);

        assertThat(standard).startsWith("whsec_");
        assertThat(WebhookSignature.sign(standard, ID, TIMESTAMP, PAYLOAD)).isEqualTo(WebhookSignature.sign(legacy, ID, TIMESTAMP, PAYLOAD));
        assertThat(WebhookSignature.asStandardSecret(SECRET)).isEqualTo(SECRET);
    }

    @Test
    void new_secrets_are_32_random_bytes_in_the_whsec_form() {
        String secret = WebhookSignature.newSecret();
        assertThat(secret).startsWith("whsec_").hasSize("whsec_".length() + 44).isNotEqualTo(WebhookSignature.newSecret());
        assertThatThrownBy(() -> WebhookSignature.sign("whsec_not base64!", ID, TIMESTAMP, PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
    }
}
