package io.herald.common.unsubscribe;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token in an email's one-click unsubscribe link (RFC 8058): who may be opted out of what, signed with
 * HMAC-SHA256 under {@code unsubscribe.key}. The payload names the application, the channel, the
 * recipient (the key its opt-outs are kept under) and the category (empty for none), each length-prefixed,
 * so no two claims share a payload; changing any of them breaks the signature, so a link cannot be forged,
 * nor replayed for another recipient or category. A token is {@code base64url(payload).base64url(mac)}.
 */
public final class UnsubscribeToken {
    /** Longer tokens are refused unread: the longest a real one can be is about 1,700 characters. */
    public static final int MAX_CHARS = 2048;
    private static final byte VERSION = 1;
    private static final byte[] CONTEXT = "herald-unsubscribe\0".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD_BYTES = 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What a token lets its bearer do: opt {@code recipient} of {@code application} out of {@code category} (null: of everything). */
    public record Claims(String application, String channel, String recipient, String category) {}

    /** One initialised Mac per thread (a Mac is not thread-safe): a link is signed for every email a worker sends. */
    private final ThreadLocal<Mac> macs;

    public UnsubscribeToken(String key) {
        SecretKeySpec spec = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        });
    }

    public String sign(Claims claims) {
        byte[] payload = payload(claims);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The claims of a token this key signed; empty for anything else (too long, malformed, or signed otherwise). */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > MAX_CHARS) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Constant time: a forger learns nothing from how long the comparison took.
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            return Optional.empty();
        }
        return parse(payload);
    }

    private byte[] mac(byte[] payload) {
        Mac mac = macs.get();
        mac.update(CONTEXT);
        return mac.doFinal(payload); // doFinal resets the Mac for the next use
    }

    private static byte[] payload(Claims claims) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        for (String field : new String[] {claims.application(), claims.channel(), claims.recipient(),
                claims.category() == null ? "" : claims.category()}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw new IllegalArgumentException("an unsubscribe claim holds at most " + MAX_FIELD_BYTES + " bytes per field");
            }
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xff);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static Optional<Claims> parse(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        if (!in.hasRemaining() || in.get() != VERSION) {
            return Optional.empty();
        }
        String[] fields = new String[4];
        for (int i = 0; i < fields.length; i++) {
            if (in.remaining() < 2) {
                return Optional.empty();
            }
            int length = Short.toUnsignedInt(in.getShort());
            if (length > in.remaining()) {
                return Optional.empty();
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            try {
                CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                fields[i] = text.toString();
            } catch (CharacterCodingException e) {
                return Optional.empty();
            }
        }
        if (in.hasRemaining() || fields[0].isEmpty() || fields[1].isEmpty() || fields[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Claims(fields[0], fields[1], fields[2], fields[3].isEmpty() ? null : fields[3]));
    }
}
