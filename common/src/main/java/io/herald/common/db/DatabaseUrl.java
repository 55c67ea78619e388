package io.herald.common.db;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A MySQL JDBC URL split into server, database name and query string (kept apart: the query may hold '/'). */
public record DatabaseUrl(String server, String database, String query) {
    private static final Pattern URL = Pattern.compile("(jdbc:mysql://[^/?]+)/([a-zA-Z0-9_$]+)(\\?.*)?");

    public static DatabaseUrl parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "database.url must look like jdbc:mysql://host:port/database, with a database name of letters, digits, _ or $: " + url);
        }
        return new DatabaseUrl(m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3));
    }

    /** The server without a database selected, for CREATE DATABASE. */
    public String serverUrl() {
        return server + "/" + query;
    }

    /** The same server and options with another database. */
    public String withDatabase(String otherDatabase) {
        return server + "/" + otherDatabase + query;
    }
}
