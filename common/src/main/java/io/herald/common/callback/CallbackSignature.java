package io.herald.common.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a callback is signed, and how a receiver checks it. The signature is
 * {@code sha256=<hex HMAC-SHA256(signing secret, timestamp + "." + body)>}, sent in
 * {@code X-Herald-Signature} beside {@code X-Herald-Timestamp} (Unix seconds). Signing the timestamp
 * with the body lets a receiver refuse an old request replayed by someone who captured it.
 */
public final class CallbackSignature {
    public static final String SIGNATURE_HEADER = "X-Herald-Signature";
    public static final String TIMESTAMP_HEADER = "X-Herald-Timestamp";

    private CallbackSignature() {}

    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** Whether {@code signature} is the one {@code secret} makes; compared in constant time. */
    public static boolean verify(String secret, long timestampSeconds, byte[] body, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = sign(secret, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
}
