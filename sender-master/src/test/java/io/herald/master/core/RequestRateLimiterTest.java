package io.herald.master.core;

import io.herald.master.policy.RateLimit;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.config.PolicyConfig;
import io.herald.common.testing.SettableClock;
import io.herald.common.testing.TestDatabase;
import io.herald.master.db.PolicyStore;
import io.herald.master.policy.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestRateLimiterTest {
    private final SettableClock clock = new SettableClock();
    private TestDatabase database;
    private PolicyStore policies;
    private RequestRateLimiter limiter;

    @BeforeEach
    void setUp() throws Exception {
        database = TestDatabase.create();
        policies = new PolicyStore(database.database(), new PolicyConfig());
        limiter = new RequestRateLimiter("m1", policies, new RateLimit(2, 3), Duration.ofHours(1), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        database.close();
    }

    @Test
    void a_burst_is_allowed_then_requests_wait_for_tokens_that_come_back_at_the_rate() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isEmpty();
        }
        assertThat(limiter.acquire("a")).hasValue(1);
        assertThat(limiter.acquire("b")).as("another application has its own bucket").isEmpty();
        clock.advance(Duration.ofMillis(500));
        assertThat(limiter.acquire("a")).isEmpty();
        assertThat(limiter.acquire("a")).isPresent();
        clock.advance(Duration.ofHours(5));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).as("the bucket never holds more than its burst").isEmpty();
        }
        assertThat(limiter.acquire("a")).isPresent();
    }

    @Test
    void a_stored_limit_applies_after_invalidation_and_zero_means_unlimited() throws Exception {
        policies.update("slow", Map.of(Setting.integer("perSecond", "rate_per_second", 0, 10, 2), 0L));
        limiter.invalidate("slow");
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.acquire("slow")).isEmpty();
        }
        policies.update("slow", Map.of(Setting.integer("perSecond", "rate_per_second", 0, 10, 2), 1L,
                Setting.integer("burst", "rate_burst", 1, 10, 3), 1L));
        assertThat(limiter.acquire("slow")).as("cached until invalidated").isEmpty();
        limiter.invalidate("slow");
        assertThat(limiter.acquire("slow")).isEmpty();
        OptionalLong wait = limiter.acquire("slow");
        assertThat(wait).hasValue(1);
    }
}
