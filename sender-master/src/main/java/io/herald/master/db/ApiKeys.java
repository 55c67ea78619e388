package io.herald.master.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Generates API keys and hashes them for storage. (Signing secrets are Standard Webhooks secrets:
 * {@link io.herald.common.webhook.WebhookSignature#newSecret}.)
 *
 * <p>Keys are stored as a plain SHA-256, not with a slow password hash (bcrypt, scrypt, Argon2). Slow
 * hashes exist to make guessing low-entropy passwords expensive; a key here is 256 bits from
 * {@link SecureRandom}, so there is nothing to guess, and a fast hash still gives nothing away if the
 * table leaks. A deterministic hash also lets the database find a key by an indexed equality, where a
 * salted slow hash would cost tens of milliseconds of CPU on every uncached request.
 */
public final class ApiKeys {
    /** Every key starts with this, so a leaked key is recognisable (secret scanners, logs). */
    public static final String KEY_PREFIX = "hk_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    public static String newKey() {
        return KEY_PREFIX + random();
    }

    private static String random() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code key} has the shape of a key Herald issued; anything else is refused without a lookup. */
    public static boolean looksLikeKey(String key) {
        return key.length() == KEY_PREFIX.length() + 43 && key.startsWith(KEY_PREFIX);
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what {@code api_key.key_hash} holds. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
