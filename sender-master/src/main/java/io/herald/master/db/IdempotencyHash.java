package io.herald.master.db;

import io.herald.master.api.NewMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of an idempotency key (its UTF-8 bytes) and the SHA-256 of what a message asks for,
 * so the same key with other content can be told apart from a retry.
 */
final class IdempotencyHash {
    private IdempotencyHash() {}

    static byte[] keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every field that makes the message what it is, each length-prefixed (null distinct from empty). Fields
     * added since V50 ({@code sendAt}, {@code cancelKey}, the audience, {@code dryRun}) are appended only when given, so the hashes stored before them still match.
     */
    static byte[] of(NewMessage m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> fields = new ArrayList<>(Arrays.asList(m.channel().wireName(), m.target(), m.subject(), m.body(),
                m.priority().wireName(), m.template(), m.templateContext(), m.callbackUrl()));
        if (m.sendAt() != null) {
            fields.add("sendAt=" + m.sendAt().toEpochMilli());
        }
        if (m.cancelKey() != null) {
            fields.add("cancelKey=" + m.cancelKey());
        }
        if (!m.audience().equals(NewMessage.ANYONE)) {
            fields.add("audience=" + m.audience().recipient() + "\u0000" + m.audience().category() + "\u0000" + m.audience().critical());
        }
        if (m.dryRun()) {
            // A rehearsal and the real message are two messages: the same key for both is a conflict, not a retry.
            fields.add("dryRun");
        }
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String field : fields) {
                if (field == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha256().digest(bytes.toByteArray());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
