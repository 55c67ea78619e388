package io.herald.common.net;

import java.util.Optional;

/**
 * IPv4 addresses as the C library's {@code inet_aton} reads them, which is how resolvers read a host
 * name made of numbers: one to four dot-separated parts, each decimal, hex ({@code 0x7f}) or octal
 * ({@code 0177}); the last part fills the remaining bytes, so {@code 127.1} is 127.0.0.1 and
 * {@code 2130706433} is too. A URL check that only knew dotted quads would let these through.
 */
final class Ipv4Literal {
    private Ipv4Literal() {}

    /** The four bytes {@code host} spells, or empty when it is not a numeric IPv4 address. */
    static Optional<byte[]> parse(String host) {
        if (host.isEmpty() || host.length() > 64 || host.startsWith(".") || host.endsWith(".")) {
            return Optional.empty();
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long value = number(parts[i]);
            if (value < 0) {
                return Optional.empty();
            }
            values[i] = value;
        }
        return combine(values);
    }

    /** The part's value, or -1 when it is not a number in one of the three bases or exceeds 32 bits. */
    private static long number(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = part;
        if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0;
            }
        } else if (part.length() >= 2 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.length() > 12) {
            return -1;
        }
        for (char c : digits.toCharArray()) {
            if (Character.digit(c, radix) < 0 || c > 0x7F) {
                return -1;
            }
        }
        long value = Long.parseLong(digits, radix);
        return value > 0xFFFF_FFFFL ? -1 : value;
    }

    private static Optional<byte[]> combine(long[] values) {
        int last = values.length - 1;
        for (int i = 0; i < last; i++) {
            if (values[i] > 0xFF) {
                return Optional.empty();
            }
        }
        int lastBits = 8 * (4 - last);
        if (lastBits < 32 && values[last] >= (1L << lastBits)) {
            return Optional.empty();
        }
        long address = values[last];
        for (int i = 0; i < last; i++) {
            address |= values[i] << (8 * (3 - i));
        }
        return Optional.of(new byte[] {
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    }
}
