package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.MasterConfig;
import io.herald.common.queue.DispatchTask;
import io.herald.common.queue.TaskPublisher;
import io.herald.common.testing.SettableClock;
import io.herald.master.db.ClaimStore;
import io.herald.master.db.FencedOutException;
import io.herald.master.policy.PolicyMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's iteration against fakes: no MySQL, no ZooKeeper. */
class DispatcherTest {
    private final MasterConfig config = new MasterConfig();
    private final SettableClock clock = new SettableClock();
    private final MetricRegistry metrics = new MetricRegistry();
    private final FakeClaims claims = new FakeClaims();
    private final FakeQueue queue = new FakeQueue();
    private final FakeLeadership leadership = new FakeLeadership();
    private Dispatcher dispatcher;

    @BeforeEach
    void setUp() {
        config.claimBatchSize = 600;
        config.taskSize = 250;
        dispatcher = new Dispatcher("m1", config, claims, queue, leadership, clock, metrics,
                new io.prometheus.metrics.model.registry.PrometheusRegistry());
    }

    @Test
    void a_master_that_does_not_lead_claims_nothing() throws Exception {
        claims.due(10);

        assertThat(dispatcher.runOnce()).isZero();
        assertThat(claims.calls).isEmpty();
        assertThat(queue.puts).isEmpty();
    }

    @Test
    void the_leader_claims_under_its_token_and_queues_the_ids_in_tasks_of_task_size() throws Exception {
        leadership.lead(7);
        claims.due(600);

        assertThat(dispatcher.runOnce()).isEqualTo(600);

        assertThat(claims.calls).containsExactly(new Call(7, "m1", 600));
        assertThat(queue.puts).hasSize(1);
        List<DispatchTask> tasks = queue.puts.get(0);
        assertThat(tasks).extracting(t -> t.messageIds().size()).containsExactly(250, 250, 100);
        assertThat(tasks).allMatch(t -> t.token() == 7);
        assertThat(metrics.meter("herald.master.messages_dispatched").getCount()).isEqualTo(600);
    }

    @Test
    void the_batch_is_no_bigger_than_the_room_left_in_the_queue_and_a_full_queue_claims_nothing() throws Exception {
        leadership.lead(1);
        claims.due(1_000);
        queue.size = config.maxQueuedTasks - 1;

        dispatcher.runOnce();
        assertThat(claims.calls).extracting(Call::limit).containsExactly(250);

        queue.size = config.maxQueuedTasks;
        assertThat(dispatcher.runOnce()).isZero();
        assertThat(claims.calls).hasSize(1);
    }

    @Test
    void a_term_that_ended_while_the_queue_was_read_writes_nothing() throws Exception {
        leadership.lead(1);
        leadership.valid = false;
        claims.due(5);

        assertThat(dispatcher.runOnce()).isZero();
        assertThat(claims.calls).isEmpty();
    }

    @Test
    void a_fenced_out_claim_steps_down_and_queues_nothing() throws Exception {
        leadership.lead(3);
        claims.fencedBy = 4L;

        assertThat(dispatcher.runOnce()).isZero();
        assertThat(leadership.stepDowns).containsExactly("fenced out");
        assertThat(queue.puts).isEmpty();
    }

    @Test
    void a_database_unreachable_for_the_step_down_time_steps_down_once() throws Exception {
        leadership.lead(1);
        claims.failing = true;

        assertThatThrownBy(dispatcher::runOnce).isInstanceOf(SQLException.class);
        clock.advance(Duration.ofMillis(config.databaseFailureStepDown.toMilliseconds() - 1));
        assertThatThrownBy(dispatcher::runOnce).isInstanceOf(SQLException.class);
        assertThat(leadership.stepDowns).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(dispatcher::runOnce).isInstanceOf(SQLException.class);
        assertThat(leadership.stepDowns).singleElement().asString().startsWith("database unreachable");
    }

    @Test
    void a_success_resets_the_database_failure_time() throws Exception {
        leadership.lead(1);
        claims.failing = true;
        assertThatThrownBy(dispatcher::runOnce).isInstanceOf(SQLException.class);
        claims.failing = false;
        dispatcher.runOnce();

        claims.failing = true;
        clock.advance(Duration.ofMillis(config.databaseFailureStepDown.toMilliseconds()));
        assertThatThrownBy(dispatcher::runOnce).isInstanceOf(SQLException.class);
        assertThat(leadership.stepDowns).isEmpty();
    }

    @Test
    void a_paused_claim_queues_nothing() throws Exception {
        leadership.lead(1);
        claims.due(5);
        claims.paused = true;

        assertThat(dispatcher.runOnce()).isZero();
        assertThat(queue.puts).isEmpty();
    }

    record Call(long token, String holder, int limit) {}

    static final class FakeClaims implements ClaimStore {
        final List<Call> calls = new ArrayList<>();
        private long nextId = 1;
        private long lastDue;
        Long fencedBy;
        boolean failing;
        boolean paused;

        void due(int n) {
            lastDue = nextId + n - 1;
        }

        @Override
        public Claim claim(long token, String holder, int limit, Duration lease) throws SQLException, FencedOutException {
            if (failing) {
                throw new SQLException("connection refused");
            }
            if (fencedBy != null) {
                throw new FencedOutException(token, fencedBy);
            }
            calls.add(new Call(token, holder, limit));
            if (paused) {
                return Claim.PAUSED;
            }
            long to = Math.min(lastDue, nextId + limit - 1);
            List<Long> ids = LongStream.rangeClosed(nextId, to).boxed().toList();
            nextId = to + 1;
            return new Claim(false, ids, 0, PolicyMetrics.Counts.NONE);
        }
    }

    static final class FakeQueue implements TaskPublisher {
        final List<List<DispatchTask>> puts = new ArrayList<>();
        int size;

        @Override
        public void ensurePaths() {}

        @Override
        public void put(List<DispatchTask> tasks) {
            puts.add(tasks);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
