package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.testing.SettableClock;
import io.herald.master.db.FanoutWriter;
import io.herald.master.db.FencedOutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fan-out loop's iteration against fakes: leadership, turns between fan-outs, wake-ups, fencing. */
class FanoutLoopTest {
    private final FakeLeadership leadership = new FakeLeadership();
    private final List<String> calls = new ArrayList<>();
    private final Deque<Optional<FanoutWriter.Chunk>> answers = new ArrayDeque<>();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private Long fencedBy;

    private final FanoutWriter writer = (token, holder, after, limit) -> {
        if (fencedBy != null) {
            throw new FencedOutException(token, fencedBy);
        }
        calls.add("token " + token + " after " + after + " limit " + limit);
        return answers.isEmpty() ? Optional.empty() : answers.poll();
    };
    private final FanoutLoop loop = new FanoutLoop("m1", writer, 1_000, leadership, wakeUps::incrementAndGet, new SettableClock(), new MetricRegistry());

    @Test
    void a_standby_master_creates_nothing() throws Exception {
        assertThat(loop.runOnce()).isEqualTo(FanoutLoop.IDLE);
        assertThat(calls).isEmpty();
    }

    @Test
    void the_leader_runs_chunk_after_chunk_in_turns_and_wakes_the_dispatcher() throws Exception {
        leadership.lead(7);
        answers.add(Optional.of(new FanoutWriter.Chunk(3, 1_000, false)));
        answers.add(Optional.of(new FanoutWriter.Chunk(9, 10, true)));
        answers.add(Optional.empty());
        answers.add(Optional.of(new FanoutWriter.Chunk(3, 1_000, false)));

        assertThat(loop.runOnce()).isZero();
        assertThat(loop.runOnce()).isZero();
        assertThat(loop.runOnce()).as("past the last fan-out: the round starts again at once").isZero();
        assertThat(loop.runOnce()).isZero();
        assertThat(loop.runOnce()).isZero();
        assertThat(loop.runOnce()).as("nothing anywhere: idle").isEqualTo(FanoutLoop.IDLE);

        assertThat(calls).containsExactly("token 7 after 0 limit 1000", "token 7 after 3 limit 1000", "token 7 after 9 limit 1000",
                "token 7 after 0 limit 1000", "token 7 after 3 limit 1000", "token 7 after 0 limit 1000");
        assertThat(wakeUps).hasValue(3);
    }

    @Test
    void a_fenced_out_chunk_steps_down() throws Exception {
        leadership.lead(5);
        fencedBy = 6L;
        assertThat(loop.runOnce()).isEqualTo(FanoutLoop.IDLE);
        assertThat(leadership.stepDowns).containsExactly("fenced out");
    }
}
