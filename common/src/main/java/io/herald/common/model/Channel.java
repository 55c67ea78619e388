package io.herald.common.model;

import java.util.regex.Pattern;

/**
 * A delivery channel's name, as the API, the database and the metrics carry it ({@code email}, {@code slack}
 * ...). Which names exist is up to the channel plug-ins on a node's class path ({@code io.herald.common.channel.Channels});
 * this type only keeps a name well formed: it fits the 16-character {@code channel} columns.
 */
public record Channel(String wireName) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,15}");

    public static final Channel EMAIL = new Channel("email");
    public static final Channel WEBHOOK = new Channel("webhook");
    public static final Channel LOG = new Channel("log");

    public Channel {
        if (wireName == null || !NAME.matcher(wireName).matches()) {
            throw new IllegalArgumentException("a channel name is 1 to 16 lower-case letters, digits, _ or -, starting with a letter, not '"
                    + wireName + "'");
        }
    }

    public static boolean isName(String text) {
        return text != null && NAME.matcher(text).matches();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
