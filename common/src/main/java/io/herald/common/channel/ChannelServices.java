package io.herald.common.channel;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;

/** What a worker lends the channels it opens. */
public interface ChannelServices {
    /** The worker's node id, for log lines and thread names. */
    String workerId();

    Clock clock();

    ObjectMapper json();

    /** The worker's guarded, bounded, laned HTTP client. */
    HttpPoster http();

    /** Applications' signing secrets, current first. */
    SecretSource secrets();

    MetricRegistry metrics();

    /**
     * A pace of {@code perSecond} sends per key (a webhook URL, a sender number) for one provider. Today each
     * worker keeps its own pace; a pace shared across the cluster can take its place without a channel changing.
     */
    Pacer pacer(String provider, double perSecond);
}
