package io.herald.master.core;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.herald.master.db.PolicyStore;
import io.herald.master.policy.RateLimit;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token bucket per application on this master: each request takes a token, tokens come back at the
 * application's rate up to its burst. The rate is read from {@code application_policy} (admin task
 * {@code app-rate-limit}) and remembered for {@code ttl}; a change made on this master applies at once,
 * one made on another within {@code ttl}. When the database cannot be read, the configured default holds.
 */
public final class RequestRateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimiter.class);

    private final String nodeId;
    private final RateLimit defaults;
    private final Clock clock;
    private final LoadingCache<String, RateLimit> limits;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RequestRateLimiter(String nodeId, PolicyStore store, RateLimit defaults, Duration ttl, Clock clock) {
        this.nodeId = nodeId;
        this.defaults = defaults;
        this.clock = clock;
        this.limits = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build(a -> load(store, a));
    }

    private RateLimit load(PolicyStore store, String application) {
        try {
            return store.rateLimit(application, defaults);
        } catch (SQLException e) {
            LOG.warn("[{}] could not read the rate limit of '{}', using the default: {}", nodeId, application, e.getMessage());
            return defaults;
        }
    }

    /** Takes a token for one request of {@code application}; empty when it may go on, else the seconds to wait. */
    public OptionalLong acquire(String application) {
        RateLimit limit = limits.get(application);
        if (limit.perSecond() == 0) {
            return OptionalLong.empty();
        }
        return buckets.computeIfAbsent(application, a -> new Bucket(limit.burst(), clock.millis())).take(limit, clock.millis());
    }

    /** Forgets what is known of {@code application}'s limit, after an operator changed it here. */
    public void invalidate(String application) {
        limits.invalidate(application);
        buckets.remove(application);
    }

    private static final class Bucket {
        private double tokens;
        private long lastMillis;

        Bucket(int tokens, long now) {
            this.tokens = tokens;
            this.lastMillis = now;
        }

        synchronized OptionalLong take(RateLimit limit, long now) {
            long elapsed = Math.max(0, now - lastMillis);
            lastMillis = Math.max(lastMillis, now);
            tokens = Math.min(limit.burst(), tokens + elapsed * (limit.perSecond() / 1000.0));
            if (tokens >= 1) {
                tokens -= 1;
                return OptionalLong.empty();
            }
            double secondsToOne = (1 - tokens) / limit.perSecond();
            return OptionalLong.of(Math.max(1, (long) Math.ceil(secondsToOne)));
        }
    }
}
