package io.herald.common.db;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A MySQL JDBC URL split into the server part and the database name. */
public record DatabaseUrl(String serverUrl, String database) {
    private static final Pattern URL = Pattern.compile("(jdbc:mysql://[^/?]+)/([a-zA-Z0-9_$]+)(\\?.*)?");

    public static DatabaseUrl parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "database.url must look like jdbc:mysql://host:port/database, with a database name of letters, digits, _ or $: " + url);
        }
        String query = m.group(3) == null ? "" : m.group(3);
        return new DatabaseUrl(m.group(1) + "/" + query, m.group(2));
    }

    /** The same server with another database. */
    public String withDatabase(String otherDatabase) {
        int slash = serverUrl.lastIndexOf('/');
        return serverUrl.substring(0, slash + 1) + otherDatabase + serverUrl.substring(slash + 1);
    }
}
