package io.herald.worker.channel;

import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.Channels;
import io.herald.common.model.Channel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a sender for every installed channel that is available, once at start-up. */
public final class OpenChannels {
    private static final Logger LOG = LoggerFactory.getLogger(OpenChannels.class);

    private OpenChannels() {}

    /** The senders by channel; if one fails to open, those already open are closed and the failure is thrown. */
    public static Map<Channel, ChannelSender> open(Channels channels, ChannelServices services) throws Exception {
        Map<Channel, ChannelSender> senders = new LinkedHashMap<>();
        try {
            for (Channels.Installed installed : channels.all()) {
                if (installed.unavailable().isPresent()) {
                    LOG.info("[{}] channel {} is off: {}", services.workerId(), installed.channel(), installed.unavailable().get());
                    continue;
                }
                senders.put(installed.channel(), installed.plugin().open(installed.setup(), services));
            }
        } catch (Exception e) {
            senders.values().forEach(ChannelSender::close);
            throw e;
        }
        LOG.info("[{}] channels open: {}", services.workerId(), senders.keySet());
        return senders;
    }
}
