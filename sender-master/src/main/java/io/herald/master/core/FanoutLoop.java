package io.herald.master.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.master.db.FanoutWriter;
import io.herald.master.db.FencedOutException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's fan-out: turns messages sent to a topic into one queued message per subscriber, one fenced
 * chunk of {@code master.fanoutChunkSize} per iteration, with no wait between chunks while there is work. Fan-outs take
 * turns, a chunk each, so a big one does not hold back a small one; the messages it creates join the
 * normal queue, where the fair claim shares each batch between applications. Works only while this master
 * holds a term; a fenced-out chunk rolls back and the master steps down.
 */
public final class FanoutLoop {
    private static final Logger LOG = LoggerFactory.getLogger(FanoutLoop.class);
    /** How often a leader with nothing to fan out looks again (a submission on another master is seen within this). */
    static final Duration IDLE = Duration.ofSeconds(1);

    private final String nodeId;
    private final FanoutWriter writer;
    private final Leadership leadership;
    private final Runnable created;
    private final int chunkSize;
    private final Meter createdMessages;
    private final LoopRunner loop;
    /** The fan-out served last: the next chunk goes to the next one after it, round robin. */
    private long lastServed;

    /** @param created run after a chunk created messages (wakes the dispatcher) */
    public FanoutLoop(String nodeId, FanoutWriter writer, int chunkSize, Leadership leadership, Runnable created, Clock clock,
                      MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.chunkSize = chunkSize;
        this.writer = writer;
        this.leadership = leadership;
        this.created = created;
        this.createdMessages = metrics.meter("herald.master.fanout_messages_created");
        this.loop = new LoopRunner("fanout", nodeId, clock, metrics.counter("herald.master.fanout_loop_errors"),
                new LoopRunner.Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), this::runOnce);
        leadership.addListener(loop::wakeUp);
    }

    /** One chunk if this master leads and a fan-out is creating; returns the wait before the next. */
    public Duration runOnce() throws SQLException {
        Optional<Leadership.Term> term = leadership.currentTerm();
        if (term.isEmpty()) {
            return IDLE;
        }
        try {
            Optional<FanoutWriter.Chunk> chunk = writer.createNext(term.get().token(), nodeId, lastServed, chunkSize);
            if (chunk.isEmpty()) {
                if (lastServed == 0) {
                    return IDLE;
                }
                lastServed = 0; // past the last one: start the round again at once
                return Duration.ZERO;
            }
            lastServed = chunk.get().fanoutId();
            createdMessages.mark(chunk.get().created());
            if (chunk.get().created() > 0) {
                created.run();
            }
            if (chunk.get().finished()) {
                LOG.info("[{}] fan-out {} has created all its messages", nodeId, chunk.get().fanoutId());
            }
            return Duration.ZERO;
        } catch (FencedOutException e) {
            LOG.warn("[{}] {}; stepping down", nodeId, e.getMessage());
            leadership.stepDown("fenced out");
            return IDLE;
        }
    }

    /** Ends an idle wait: a fan-out was submitted on this master. */
    public void wakeUp() {
        loop.wakeUp();
    }

    /** Its loop, for the master's lifecycle. */
    public LoopRunner loop() {
        return loop;
    }
}
