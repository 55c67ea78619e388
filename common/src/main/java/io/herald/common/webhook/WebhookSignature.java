package io.herald.common.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (standard-webhooks/standard-webhooks, spec v1.0.0), how Herald signs
 * every webhook send and every status callback, and how a receiver checks them.
 *
 * <p>The signed content is {@code <webhook-id>.<webhook-timestamp>.<body>}; the signature is
 * {@code v1,<base64 HMAC-SHA256>} keyed with the secret's bytes. A secret written {@code whsec_<base64>}
 * is keyed with the decoded bytes, as the spec says; a secret from before V40 ({@code hs_...}) is keyed
 * with its UTF-8 bytes, which a receiver's library takes as {@code whsec_} plus the base64 of those bytes
 * ({@link #asStandardSecret}). During a rotation, the header carries one signature per secret,
 * separated by spaces.
 */
public final class WebhookSignature {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    private static final String PREFIX = "whsec_";
    private static final String VERSION = "v1,";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new secret in the spec's form: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The value of {@code webhook-signature}: one signature per secret, space-separated. */
    public static String header(List<String> secrets, String id, long timestampSeconds, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append(sign(secret, id, timestampSeconds, body));
        }
        return header.toString();
    }

    /** {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}. */
    public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /**
     * Whether one of the header's {@code v1} signatures is the one {@code secret} makes, compared in
     * constant time, and the timestamp is within {@code toleranceSeconds} of {@code nowSeconds}.
     */
    public static boolean verify(String secret, String id, long timestampSeconds, byte[] body, String header,
                                 long nowSeconds, long toleranceSeconds) {
        if (header == null || id == null || Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
            return false;
        }
        byte[] expected = sign(secret, id, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String candidate : header.trim().split(" +")) {
            matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return matched;
    }

    /** The secret as a receiver's Standard Webhooks library takes it. */
    public static String asStandardSecret(String secret) {
        return secret.startsWith(PREFIX) ? secret : PREFIX + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] key(String secret) {
        if (secret.startsWith(PREFIX)) {
            try {
                return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a whsec_ secret must be base64 after its prefix", e);
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
