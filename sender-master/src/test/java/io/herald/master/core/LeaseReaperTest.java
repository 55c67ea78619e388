package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.testing.SettableClock;
import io.herald.master.db.FencedOutException;
import io.herald.master.db.ReapStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lease reaper's iteration against fakes. */
class LeaseReaperTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private final FakeLeadership leadership = new FakeLeadership();
    private final List<Long> tokens = new ArrayList<>();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private ReapStore.Reaped next = new ReapStore.Reaped(0, 0);
    private Long fencedBy;

    private final ReapStore store = (token, holder, limit) -> {
        if (fencedBy != null) {
            throw new FencedOutException(token, fencedBy);
        }
        tokens.add(token);
        return next;
    };
    private final MetricRegistry metrics = new MetricRegistry();
    private final LeaseReaper reaper = new LeaseReaper("m1", store, leadership, INTERVAL, wakeUps::incrementAndGet,
            new SettableClock(), metrics);

    @Test
    void a_standby_master_reaps_nothing() throws Exception {
        assertThat(reaper.runOnce()).isEqualTo(INTERVAL);
        assertThat(tokens).isEmpty();
    }

    @Test
    void requeued_messages_wake_the_dispatcher_and_unknown_ones_do_not() throws Exception {
        leadership.lead(5);
        next = new ReapStore.Reaped(0, 2);
        reaper.runOnce();
        assertThat(wakeUps).hasValue(0);

        next = new ReapStore.Reaped(3, 0);
        reaper.runOnce();
        assertThat(wakeUps).hasValue(1);
        assertThat(tokens).containsExactly(5L, 5L);
    }

    @Test
    void resent_messages_wake_the_dispatcher_and_are_counted_as_resends_and_ambiguous_attempts() throws Exception {
        leadership.lead(5);
        next = new ReapStore.Reaped(0, 1, 2);
        reaper.runOnce();

        assertThat(wakeUps).hasValue(1);
        assertThat(metrics.meter("herald.master.unknown_outcomes_resent").getCount()).isEqualTo(2);
        assertThat(metrics.meter("herald.messages.ambiguous_attempts").getCount()).isEqualTo(2);
    }

    @Test
    void a_fenced_out_reap_steps_down() throws Exception {
        leadership.lead(5);
        fencedBy = 6L;

        reaper.runOnce();
        assertThat(leadership.stepDowns).containsExactly("fenced out");
    }
}
