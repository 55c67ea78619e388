package io.herald.common.trace;

/**
 * The W3C Trace Context {@code traceparent} header (https://www.w3.org/TR/trace-context/, level 1),
 * checked strictly: {@code version-traceid-parentid-flags}, lower-case hex only, a trace id of 32 and a
 * parent id of 16 digits, neither all zeros, version {@code ff} refused. Version {@code 00} must be
 * exactly 55 characters; a higher version may carry more after a {@code -}, and its first four fields
 * are read as version 00's. A header that fails any of this is ignored, as the specification says:
 * {@link #parse} answers null, never an error to the caller.
 */
public final class Traceparent {
    /** The length of a version 00 header, and of the column that keeps it. */
    public static final int LENGTH = 55;

    private Traceparent() {}

    /** The header as version 00 (the only version Herald knows), or null when it is absent or invalid. */
    public static String parse(String header) {
        if (header == null || header.length() < LENGTH || !valid(header)) {
            return null;
        }
        return header.startsWith("00") ? header : "00" + header.substring(2, LENGTH);
    }

    /** The 32 hex digits of a valid header's trace id. */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    private static boolean valid(String h) {
        String version = h.substring(0, 2);
        if (!hex(h, 0, 2) || version.equals("ff")) {
            return false;
        }
        if (version.equals("00") ? h.length() != LENGTH : h.length() > LENGTH && h.charAt(LENGTH) != '-') {
            return false;
        }
        return h.charAt(2) == '-' && h.charAt(35) == '-' && h.charAt(52) == '-'
                && hex(h, 3, 35) && !zeros(h, 3, 35)
                && hex(h, 36, 52) && !zeros(h, 36, 52)
                && hex(h, 53, 55);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
