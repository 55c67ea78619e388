package io.herald.common.template;

/**
 * How deeply a template's sections nest, found by scanning its tags (with the delimiters the template
 * sets, {@code {{=<% %>=}}}) before the compiler sees it: the compiler and the renderer recurse once per
 * level, so an unbounded depth is a stack overflow. An unbalanced template gets some depth here and is
 * refused by the compiler afterwards.
 */
final class SectionDepth {
    private SectionDepth() {}

    static int of(String source) {
        String open = "{{";
        String close = "}}";
        int depth = 0;
        int deepest = 0;
        int at = 0;
        while (true) {
            int start = source.indexOf(open, at);
            if (start < 0) {
                return deepest;
            }
            int end = source.indexOf(close, start + open.length());
            if (end < 0) {
                return deepest;
            }
            String tag = source.substring(start + open.length(), end).strip();
            at = end + close.length();
            if (tag.startsWith("#") || tag.startsWith("^")) {
                deepest = Math.max(deepest, ++depth);
            } else if (tag.startsWith("/")) {
                depth = Math.max(0, depth - 1);
            } else if (tag.startsWith("=") && tag.endsWith("=") && tag.length() > 2) {
                String[] delimiters = tag.substring(1, tag.length() - 1).strip().split("\\s+");
                if (delimiters.length == 2) {
                    open = delimiters[0];
                    close = delimiters[1];
                }
            }
        }
    }
}
