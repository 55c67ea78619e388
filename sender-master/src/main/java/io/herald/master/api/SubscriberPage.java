package io.herald.master.api;

import java.util.List;

/** One page of a topic's subscribers, oldest first; {@code next} is the cursor of the next page, null at the end. */
public record SubscriberPage(List<SubscriberView> subscribers, String next) {
    /** A subscriber as the API shows it. */
    public record SubscriberView(String channel, String target, String recipient, String subscribedAt) {}
}
