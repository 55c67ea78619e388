package io.herald.common.model;

/**
 * Control characters in text that came from outside: C0 (CR, LF, tab ...), DEL, C1, and unpaired
 * surrogates, which no encoding can carry. Identifiers refuse them; text written into a log line has
 * them escaped, so no tenant can forge a line.
 */
public final class ControlCharacters {
    private ControlCharacters() {}

    public static boolean isControl(int codePoint) {
        return codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F)
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
    }

    /** Whether {@code text} holds a control character or an unpaired surrogate. */
    public static boolean any(String text) {
        return text.codePoints().anyMatch(ControlCharacters::isControl);
    }

    /** {@code text} with each control character written as {@code \n}, {@code \r}, {@code \t} or {@code \\uXXXX}, and backslashes doubled. */
    public static String escape(String text) {
        if (!any(text) && text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
