package io.herald.tools.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A keep-alive webhook receiver that answers 200 at once and records, per Idempotency-Key, how often it
 * arrived, plus the delay from the enqueue time carried in the message body (epoch microseconds). The
 * receiver's records, not Herald's tables, decide losses and duplicates.
 */
public final class FastReceiver implements AutoCloseable {
    private static final byte[] BODY_FIELD = "\"body\":\"".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentHashMap<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final AtomicLong lastArrivalNanos = new AtomicLong();
    private final LatencyRecorder latency;

    public FastReceiver(int threads, LatencyRecorder latency) throws IOException {
        this.latency = latency;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        this.executor = Executors.newFixedThreadPool(threads);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            long enqueuedMicros = enqueueTime(in.readAllBytes());
            long now = System.currentTimeMillis() * 1_000 + (System.nanoTime() / 1_000) % 1_000;
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (arrivals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1 && enqueuedMicros > 0) {
                latency.record(Math.max(0, now - enqueuedMicros));
            }
            requests.increment();
            lastArrivalNanos.set(System.nanoTime());
            exchange.sendResponseHeaders(200, -1);
        }
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
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
