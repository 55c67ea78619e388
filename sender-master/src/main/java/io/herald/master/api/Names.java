package io.herald.master.api;

/** Names of applications and templates: they appear in URLs, logs and metrics, so a safe alphabet. */
public final class Names {
    private Names() {}

    public static boolean isName(String value, int max) {
        return value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0," + (max - 1) + "}");
    }

    /** What a valid name looks like, for error messages. */
    public static String rule(int max) {
        return "must be 1 to " + max + " letters, digits or ._- starting with a letter or digit";
    }
}
