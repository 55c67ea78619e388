package io.herald.worker.channel;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.HttpPoster;
import io.herald.common.channel.LocalPacer;
import io.herald.common.channel.Pacer;
import io.herald.common.channel.SecretSource;
import java.time.Clock;

/** What this worker lends its channels. Paces are this worker's own (LocalPacer), not shared across the cluster. */
public record WorkerServices(String workerId, Clock clock, ObjectMapper json, HttpPoster http, SecretSource secrets,
                             MetricRegistry metrics) implements ChannelServices {
    @Override
    public Pacer pacer(String provider, double perSecond) {
        return new LocalPacer(perSecond, System::nanoTime);
    }
}
