package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.testing.SettableClock;
import io.herald.master.db.ClaimStore;
import io.herald.master.policy.PolicyMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The leader's per-application dispatch rates, on a clock moved by hand, written to a fake sink. */
class DispatchRatesTest {
    private final SettableClock clock = new SettableClock();
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final List<Map<String, Double>> written = new ArrayList<>();
    private final DispatchRates rates = new DispatchRates("m1", written::add, leading::get, Duration.ofSeconds(5), clock, new MetricRegistry());
    private Map<String, Integer> nextClaim = Map.of();
    private final ClaimStore claims = rates.counting((token, holder, limit, lease) ->
            new ClaimStore.Claim(false, List.of(1L), 0, PolicyMetrics.Counts.NONE, nextClaim));

    private void claim(Map<String, Integer> perApplication) throws Exception {
        nextClaim = perApplication;
        claims.claim(1, "m1", 1_000, Duration.ofSeconds(30));
    }

    private Map<String, Double> pass() throws Exception {
        rates.runOnce();
        return written.get(written.size() - 1);
    }

    @Test
    void a_rate_is_what_the_claims_dispatched_over_the_time_measured_up_to_a_minute() throws Exception {
        rates.runOnce();
        assertThat(written).isEmpty();
        claim(Map.of("shop", 40, "other", 10));
        clock.advance(Duration.ofSeconds(5));
        assertThat(pass()).containsOnlyKeys("shop", "other");
        assertThat(written.get(0).get("shop")).isCloseTo(8.0, within(1e-9));

        // Twelve more passes of 5 s, 50 messages each for shop: the window holds a minute of them.
        for (int i = 0; i < 12; i++) {
            claim(Map.of("shop", 50));
            clock.advance(Duration.ofSeconds(5));
            rates.runOnce();
        }
        Map<String, Double> last = written.get(written.size() - 1);
        assertThat(last.get("shop")).isCloseTo(10.0, within(1e-9));
        // other dispatched nothing for a minute: gone, so its messages get no estimate from an old rate.
        assertThat(last).doesNotContainKey("other");
    }

    @Test
    void a_master_that_stops_leading_forgets_its_counts_and_writes_nothing() throws Exception {
        rates.runOnce();
        claim(Map.of("shop", 100));
        leading.set(false);
        clock.advance(Duration.ofSeconds(5));
        rates.runOnce();
        leading.set(true);
        rates.runOnce();
        clock.advance(Duration.ofSeconds(5));
        claim(Map.of("shop", 10));

        assertThat(pass()).containsExactly(Map.entry("shop", 2.0));
        assertThat(written).hasSize(1);
    }
}
