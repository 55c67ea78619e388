package io.herald.master.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.db.Database;
import io.herald.common.testing.Rows;
import io.herald.common.testing.SettableClock;
import io.herald.common.testing.TestDatabase;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.MessageView;
import io.herald.master.db.MessageStore;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.TimeoutHandler;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status waiter's poll, run by hand with a hand-moved clock against the real database. */
class StatusWaiterTest {
    private TestDatabase testDatabase;
    private Database database;
    private final SettableClock clock = new SettableClock();
    private final MetricRegistry metrics = new MetricRegistry();
    private StatusWaiter waiter;

    @BeforeEach
    void setUp() throws Exception {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
        waiter = new StatusWaiter("m1", new MessageStore(database, "m1"), io.herald.master.api.ErrorAnswers::unavailable,
                Duration.ofHours(1), 3, 2, clock, metrics);
        waiter.start(); // its loop sleeps an hour between polls; the test polls with runOnce
    }

    @AfterEach
    void tearDown() throws Exception {
        waiter.stop();
        testDatabase.close();
    }

    @Test
    void a_waiter_is_answered_when_its_message_becomes_final_and_not_before() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        Recorded response = new Recorded();
        assertThat(waiter.await("a", id, Duration.ofSeconds(30), response, ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING);

        waiter.runOnce();
        assertThat(response.answer()).isNull();

        setStatus(id, "sent");
        waiter.runOnce();
        assertThat(((MessageView) response.answer()).status()).isEqualTo("sent");
        assertThat(waiter.waiting()).isZero();
    }

    @Test
    void a_wait_that_runs_out_answers_with_the_current_status() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        Recorded shortWait = new Recorded();
        Recorded longWait = new Recorded();
        waiter.await("a", id, Duration.ofSeconds(5), shortWait, ClientWatch.NONE);
        waiter.await("a", id, Duration.ofSeconds(50), longWait, ClientWatch.NONE);

        clock.advance(Duration.ofSeconds(5));
        waiter.runOnce();

        assertThat(((MessageView) shortWait.answer()).status()).isEqualTo("queued");
        assertThat(longWait.answer()).isNull();
        assertThat(waiter.waiting()).isEqualTo(1);
    }

    @Test
    void dead_purged_and_rejected_end_a_wait_and_a_deleted_message_is_a_404() throws Exception {
        long first = Rows.insertQueued(database, 4, "log", "t");
        Map<Long, Recorded> responses = Map.of(first, new Recorded(), first + 1, new Recorded(), first + 2, new Recorded());
        responses.forEach((id, r) -> waiter.await("app-" + id, id, Duration.ofSeconds(30), r, ClientWatch.NONE));
        setStatus(first, "dead");
        setStatus(first + 1, "purged");
        database.withConnection(c -> c.createStatement().executeUpdate("DELETE FROM message WHERE id = " + (first + 2)));

        waiter.runOnce();

        assertThat(((MessageView) responses.get(first).answer()).status()).isEqualTo("dead");
        assertThat(((MessageView) responses.get(first + 1).answer()).status()).isEqualTo("purged");
        assertThat(responses.get(first + 2).answer()).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void past_the_limit_a_waiter_is_refused_and_stopping_answers_everyone() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        List<Recorded> accepted = List.of(new Recorded(), new Recorded(), new Recorded());
        int[] n = {0};
        accepted.forEach(r -> assertThat(waiter.await("app-" + n[0]++, id, Duration.ofSeconds(30), r, ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING));
        assertThat(waiter.await("app-x", id, Duration.ofSeconds(30), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.FULL);
        assertThat(metrics.getGauges().get("herald.master.status_waiters").getValue()).isEqualTo(3);

        waiter.stop();

        assertThat(accepted).allSatisfy(r -> assertThat(((MessageView) r.answer()).status()).isEqualTo("queued"));
        assertThat(waiter.waiting()).isZero();
    }

    @Test
    void a_waiter_whose_client_goes_frees_its_slot_at_once_and_the_next_poll_answers_it_once() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        Recorded leavingResponse = new Recorded();
        FakeWatch leaving = new FakeWatch(leavingResponse);
        waiter.await("greedy", id, Duration.ofSeconds(30), leavingResponse, leaving);
        waiter.await("greedy", id, Duration.ofSeconds(30), new Recorded(), ClientWatch.NONE);
        assertThat(waiter.await("greedy", id, Duration.ofSeconds(30), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.APPLICATION_FULL);

        leaving.clientGoes();
        leaving.clientGoes(); // a second report frees nothing more

        assertThat(waiter.waiting("greedy")).isEqualTo(1);
        assertThat(waiter.waiting()).isEqualTo(1);
        assertThat(waiter.await("greedy", id, Duration.ofSeconds(30), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING);
        waiter.runOnce();
        assertThat(((MessageView) leavingResponse.answer()).status()).isEqualTo("queued");
        assertThat(leavingResponse.resumes()).isEqualTo(1);
        assertThat(waiter.waiting("greedy")).isEqualTo(2);
    }

    @Test
    void an_answered_or_timed_out_waiter_stops_its_watch_first_and_a_late_report_frees_nothing() throws Exception {
        long done = Rows.insertQueued(database, 1, "log", "t");
        long stuck = Rows.insertQueued(database, 1, "log", "t");
        Recorded answeredResponse = new Recorded();
        Recorded timedOutResponse = new Recorded();
        FakeWatch answered = new FakeWatch(answeredResponse);
        FakeWatch timedOut = new FakeWatch(timedOutResponse);
        waiter.await("a", done, Duration.ofSeconds(30), answeredResponse, answered);
        waiter.await("a", stuck, Duration.ofSeconds(5), timedOutResponse, timedOut);

        setStatus(done, "sent");
        clock.advance(Duration.ofSeconds(5));
        waiter.runOnce();
        answered.clientGoes();
        timedOut.clientGoes();

        assertThat(answered.stoppedBeforeAnswer).isTrue();
        assertThat(timedOut.stoppedBeforeAnswer).isTrue();
        assertThat(answeredResponse.resumes()).isEqualTo(1);
        assertThat(timedOutResponse.resumes()).isEqualTo(1);
        assertThat(waiter.waiting("a")).isZero();
        assertThat(waiter.waiting()).isZero();
    }

    private void setStatus(long id, String status) throws Exception {
        database.withConnection(c -> c.createStatement().executeUpdate(
                "UPDATE message SET status = '" + status + "' WHERE id = " + id));
    }

    /** A client watch the test tells that the client went; it remembers whether it was stopped before the answer. */
    private static final class FakeWatch implements ClientWatch {
        private final Recorded response;
        private Runnable onGone;
        boolean stoppedBeforeAnswer;

        FakeWatch(Recorded response) {
            this.response = response;
        }

        /** Reports the client gone, even after the watch was stopped: a report may race the answer. */
        void clientGoes() {
            onGone.run();
        }

        @Override
        public void start(Runnable onGone) {
            this.onGone = onGone;
        }

        @Override
        public void stop() {
            stoppedBeforeAnswer = response.answer() == null;
        }
    }

    /** Records what the waiter resumed the request with, and how often it was resumed. */
    private static final class Recorded implements AsyncResponse {
        private final AtomicReference<Object> answer = new AtomicReference<>();
        private final AtomicInteger resumes = new AtomicInteger();

        Object answer() {
            return answer.get();
        }

        int resumes() {
            return resumes.get();
        }

        @Override
        public boolean resume(Object response) {
            resumes.incrementAndGet();
            return answer.compareAndSet(null, response);
        }

        @Override
        public boolean resume(Throwable response) {
            resumes.incrementAndGet();
            return answer.compareAndSet(null, response);
        }

        @Override
        public boolean cancel() {
            return false;
        }

        @Override
        public boolean cancel(int retryAfter) {
            return false;
        }

        @Override
        public boolean cancel(Date retryAfter) {
            return false;
        }

        @Override
        public boolean isSuspended() {
            return answer.get() == null;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return answer.get() != null;
        }

        @Override
        public boolean setTimeout(long time, TimeUnit unit) {
            return false;
        }

        @Override
        public void setTimeoutHandler(TimeoutHandler handler) {}

        @Override
        public Collection<Class<?>> register(Class<?> callback) {
            return List.of();
        }

        @Override
        public Map<Class<?>, Collection<Class<?>>> register(Class<?> callback, Class<?>... callbacks) {
            return Map.of();
        }

        @Override
        public Collection<Class<?>> register(Object callback) {
            return List.of();
        }

        @Override
        public Map<Class<?>, Collection<Class<?>>> register(Object callback, Object... callbacks) {
            return Map.of();
        }
    }

    @Test
    void one_application_cannot_hold_more_than_its_share_of_waiters_and_an_answered_waiter_frees_its_slot() throws Exception {
        long id = Rows.insertQueued(database, 1, "log", "t");
        Recorded first = new Recorded();
        assertThat(waiter.await("greedy", id, Duration.ofSeconds(5), first, ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING);
        assertThat(waiter.await("greedy", id, Duration.ofSeconds(5), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING);
        assertThat(waiter.await("greedy", id, Duration.ofSeconds(5), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.APPLICATION_FULL);
        assertThat(waiter.await("other", id, Duration.ofSeconds(50), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING);
        clock.advance(Duration.ofSeconds(6));
        waiter.runOnce();
        assertThat(waiter.await("greedy", id, Duration.ofSeconds(5), new Recorded(), ClientWatch.NONE)).isEqualTo(StatusWaiter.Admission.WAITING);
    }
}
