package io.herald.tools.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A keep-alive webhook receiver on Jetty (the JDK's HttpServer, with one selector thread for every
 * connection, queued requests for hundreds of milliseconds at a few thousand per second) that answers
 * 200 at once and records, per Idempotency-Key, how often it arrived, plus the delay from the time
 * carried in the message body (epoch microseconds). The receiver's records, not Herald's tables, decide
 * losses and duplicates.
 *
 * <p>It listens on one or more healthy ports (each a distinct destination to a sender), and
 * optionally on one more, slow port that answers after a delay or never ({@link SlowMode}); arrivals
 * there are only counted. {@code GET /stats} on any port answers the counts as JSON, for a bench that
 * runs the receiver in a process of its own ({@link ReceiverProcess}).
 */
public final class FastReceiver implements AutoCloseable {
    private static final byte[] BODY_FIELD = "\"body\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final List<ServerConnector> healthy = new ArrayList<>();
    private final ServerConnector slow;
    private final SlowMode slowMode;
    private final ScheduledExecutorService slowAnswers = Executors.newSingleThreadScheduledExecutor();
    private final Set<Callback> heldForever = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final LongAdder slowArrivals = new LongAdder();
    private final LatencyRecorder latency;

    /** One healthy port, chosen by the system. */
    public FastReceiver(int threads, LatencyRecorder latency) throws Exception {
        this(threads, latency, new int[] {0}, null, 0);
    }

    /**
     * Healthy connectors on {@code healthyPorts} (0: any free port), and a slow one on {@code slowPort}
     * if {@code slowMode} is not null.
     */
    public FastReceiver(int threads, LatencyRecorder latency, int[] healthyPorts, SlowMode slowMode, int slowPort) throws Exception {
        this.latency = latency;
        this.slowMode = slowMode;
        this.server = new Server(new QueuedThreadPool(threads, Math.min(threads, 8)));
        for (int port : healthyPorts) {
            healthy.add(connector(port));
        }
        this.slow = slowMode == null ? null : connector(slowPort);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return answer(request, response, callback);
            }
        });
        server.start();
    }

    private ServerConnector connector(int port) {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        // Workers open hundreds of connections at once; Jetty's default backlog (50) drops SYNs, and
        // each dropped SYN costs the sender a one-second retransmission.
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        return connector;
    }

    private boolean answer(Request request, Response response, Callback callback) throws java.io.IOException {
        if (request.getMethod().equals("GET") && Request.getPathInContext(request).equals("/stats")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(statsJson().getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        Connector on = request.getConnectionMetaData().getConnector();
        if (on == slow) {
            slowArrivals.increment();
            Content.Source.consumeAll(request, Callback.NOOP);
            if (slowMode.answers()) {
                slowAnswers.schedule(() -> ok(response, callback), slowMode.delay().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                heldForever.add(callback);
            }
            return true;
        }
        record(request.getHeaders().get("Idempotency-Key"), Content.Source.asByteBuffer(request));
        ok(response, callback);
        return true;
    }

    private static void ok(Response response, Callback callback) {
        response.setStatus(200);
        callback.succeeded();
    }

    /** The healthy destinations, one URL per port. */
    public List<String> urls() {
        return healthy.stream().map(c -> "http://127.0.0.1:" + c.getLocalPort() + "/hook").toList();
    }

    public String url() {
        return urls().get(0);
    }

    /** The slow destination, or null without one. */
    public String slowUrl() {
        return slow == null ? null : "http://127.0.0.1:" + slow.getLocalPort() + "/hook";
    }

    private void record(String key, ByteBuffer body) {
        byte[] payload = new byte[body.remaining()];
        body.get(payload);
        long sentMicros = carriedTime(payload);
        if (arrivals.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet() == 1 && sentMicros > 0) {
            latency.record(Math.max(0, nowMicros() - sentMicros));
        }
    }

    static long nowMicros() {
        return System.currentTimeMillis() * 1_000 + (System.nanoTime() / 1_000) % 1_000;
    }

    /** The body field holds the time to measure from; a plain byte search avoids parsing JSON on the hot path. */
    static long carriedTime(byte[] payload) {
        int at = indexOf(payload, BODY_FIELD);
        if (at < 0) {
            return 0;
        }
        long value = 0;
        for (int i = at + BODY_FIELD.length; i < payload.length && payload[i] >= '0' && payload[i] <= '9' && value < Long.MAX_VALUE / 10; i++) {
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

    /** Distinct messages delivered to the healthy destinations. */
    public int distinct() {
        return arrivals.size();
    }

    /** Deliveries beyond the first, per message, summed. */
    public long duplicates() {
        return arrivals.values().stream().mapToLong(n -> n.get() - 1).sum();
    }

    /** Requests that reached the slow destination (each attempt counts). */
    public long slowArrivals() {
        return slowArrivals.sum();
    }

    String statsJson() {
        return "{\"distinct\":" + distinct() + ",\"duplicates\":" + duplicates() + ",\"slowArrivals\":" + slowArrivals() + "}";
    }

    @Override
    public void close() throws Exception {
        slowAnswers.shutdownNow();
        heldForever.forEach(Callback::succeeded);
        server.stop();
    }
}
