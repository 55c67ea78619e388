package io.herald.tools.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A keep-alive webhook receiver on Jetty (the JDK's HttpServer, with one selector thread for every
 * connection, queued requests for hundreds of milliseconds at a few thousand per second) that answers 200 at once and records, per Idempotency-Key, how often it
 * arrived, plus the delay from the enqueue time carried in the message body (epoch microseconds). The
 * receiver's records, not Herald's tables, decide losses and duplicates.
 */
public final class FastReceiver implements AutoCloseable {
    private static final byte[] BODY_FIELD = "\"body\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final ServerConnector connector;
    private final ConcurrentHashMap<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final AtomicLong lastArrivalNanos = new AtomicLong();
    private final LatencyRecorder latency;

    public FastReceiver(int threads, LatencyRecorder latency) throws Exception {
        this.latency = latency;
        this.server = new Server(new QueuedThreadPool(threads, Math.min(threads, 8)));
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // Workers open hundreds of connections at once; Jetty's default backlog (50) drops SYNs, and
        // each dropped SYN costs the sender a one-second retransmission.
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                record(request.getHeaders().get("Idempotency-Key"), Content.Source.asByteBuffer(request));
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/hook";
    }

    private void record(String key, ByteBuffer body) {
        byte[] payload = new byte[body.remaining()];
        body.get(payload);
        long enqueuedMicros = enqueueTime(payload);
        long now = System.currentTimeMillis() * 1_000 + (System.nanoTime() / 1_000) % 1_000;
        if (arrivals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1 && enqueuedMicros > 0) {
            latency.record(Math.max(0, now - enqueuedMicros));
        }
        requests.increment();
        lastArrivalNanos.set(System.nanoTime());
    }

    /** The body field holds the enqueue time; a plain byte search avoids parsing JSON on the hot path. */
    private static long enqueueTime(byte[] payload) {
        int at = indexOf(payload, BODY_FIELD);
        if (at < 0) {
            return 0;
        }
        long value = 0;
        for (int i = at + BODY_FIELD.length; i < payload.length && payload[i] >= '0' && payload[i] <= '9'; i++) {
            value = value * 10 + (payload[i] - '0');
        }
        return value;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Distinct messages delivered. */
    public int distinct() {
        return arrivals.size();
    }

    /** Deliveries beyond the first, per message, summed. */
    public long duplicates() {
        return arrivals.values().stream().mapToLong(n -> n.get() - 1).sum();
    }

    public long requests() {
        return requests.sum();
    }

    public long lastArrivalNanos() {
        return lastArrivalNanos.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
