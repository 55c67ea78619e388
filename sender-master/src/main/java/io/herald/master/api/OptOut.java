package io.herald.master.api;

import java.util.List;

/**
 * What a recipient opted out of: everything ({@code all}), some channels, some categories. A message
 * matching any of them is not sent unless it is {@code critical}. Lists are sorted and without repeats.
 */
public record OptOut(boolean all, List<String> channels, List<String> categories) {
    public static final OptOut NONE = new OptOut(false, List.of(), List.of());
}
