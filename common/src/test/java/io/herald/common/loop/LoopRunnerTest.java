package io.herald.common.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopRunnerTest {
    private static final LoopRunner.Backoff BACKOFF = new LoopRunner.Backoff(Duration.ofMillis(1), Duration.ofMillis(4));
    private final Counter errors = new Counter();

    @Test
    void a_loop_that_waits_long_runs_again_when_woken() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopRunner loop = new LoopRunner("test-loop", "n1", Clock.systemUTC(), errors, BACKOFF, () -> {
            runs.incrementAndGet();
            return Duration.ofHours(1);
        });
        loop.start();
        await().until(() -> runs.get() == 1);
        loop.wakeUp();
        await().until(() -> runs.get() == 2);
        loop.stop();
    }

    @Test
    void a_failing_iteration_is_counted_and_the_loop_keeps_running() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopRunner loop = new LoopRunner("test-loop", "n1", Clock.systemUTC(), errors, BACKOFF, () -> {
            if (runs.incrementAndGet() <= 3) {
                throw new IllegalStateException("boom");
            }
            return Duration.ofHours(1);
        });
        loop.start();
        await().until(() -> runs.get() == 4);
        assertThat(errors.getCount()).isEqualTo(3);
        loop.stop();
    }

    @Test
    void stop_lets_the_iteration_in_progress_finish_without_interrupting_it() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        LoopRunner loop = new LoopRunner("test-loop", "n1", Clock.systemUTC(), errors, BACKOFF, () -> {
            inside.countDown();
            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
            }
            finished.set(true);
            return Duration.ZERO;
        });
        loop.start();
        inside.await();
        Thread stopper = new Thread(() -> {
            try {
                loop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        // stop() has woken nothing (the loop is not waiting) and now waits for the iteration.
        await().until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
        assertThat(finished).isFalse();
        release.countDown();
        stopper.join();
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void the_backoff_doubles_up_to_its_bound() {
        assertThat(BACKOFF.after(1)).isEqualTo(Duration.ofMillis(1));
        assertThat(BACKOFF.after(2)).isEqualTo(Duration.ofMillis(2));
        assertThat(BACKOFF.after(30)).isEqualTo(Duration.ofMillis(4));
    }
}
