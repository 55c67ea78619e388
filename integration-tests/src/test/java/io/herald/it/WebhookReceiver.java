package io.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** A local webhook receiver that records every request it gets, and answers as a test tells it to. */
final class WebhookReceiver implements AutoCloseable {
    /**
     * @param traceparent the request's W3C traceparent header, or null
     * @param webhookId the Standard Webhooks {@code webhook-id} header
     */
    record Received(String idempotencyKey, long messageId, JsonNode payload, String traceparent, String webhookId) {}

    record Answer(int status, String retryAfter) {
        static final Answer OK = new Answer(200, null);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final ObjectMapper json = new ObjectMapper();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    private volatile BiFunction<Received, Integer, Answer> answers = (r, n) -> Answer.OK;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Decides each answer from the request and how many times its key has been seen (1 for the first). */
    void answer(BiFunction<Received, Integer, Answer> answers) {
        this.answers = answers;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode payload = json.readTree(exchange.getRequestBody().readAllBytes());
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Received r = new Received(key, Long.parseLong(exchange.getRequestHeaders().getFirst("X-Herald-Message-Id")), payload,
                    exchange.getRequestHeaders().getFirst("traceparent"), exchange.getRequestHeaders().getFirst("webhook-id"));
            int seen = perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.apply(r, seen);
            if (answer.status() >= 200 && answer.status() < 300) {
                received.add(r);
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        }
    }

    /** Requests answered with 2xx, in arrival order: what the receiver accepted. */
    List<Received> accepted() {
        return List.copyOf(received);
    }

    /** Requests per idempotency key, accepted or not. */
    int attempts(String key) {
        AtomicInteger n = perKey.get(key);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
