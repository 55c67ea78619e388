package io.herald.common.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {
    private static final byte[] BODY = "{\"id\":17,\"status\":\"sent\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_signature_is_hmac_sha256_of_timestamp_dot_body_in_hex() {
        // Computed independently: printf '1700000000.{"id":17,"status":"sent"}' | openssl dgst -sha256 -hmac hs_secret
        assertThat(CallbackSignature.sign("hs_secret", 1_700_000_000L, BODY))
                .isEqualTo("sha256=fc83344fbf2d2a78bdc53007babb01f2defe7d15e60441dd771b0e2fdc16b495");
    }

    @Test
    void verification_fails_for_another_secret_timestamp_body_or_a_missing_header() {
        String signature = CallbackSignature.sign("hs_secret", 1_700_000_000L, BODY);

        assertThat(CallbackSignature.verify("hs_secret", 1_700_000_000L, BODY, signature)).isTrue();
        assertThat(CallbackSignature.verify("hs_other", 1_700_000_000L, BODY, signature)).isFalse();
        assertThat(CallbackSignature.verify("hs_secret", 1_700_000_001L, BODY, signature)).isFalse();
        assertThat(CallbackSignature.verify("hs_secret", 1_700_000_000L, "{\"id\":18}".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(CallbackSignature.verify("hs_secret", 1_700_000_000L, BODY, null)).isFalse();
    }
}
