package io.herald.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.common.callback.CallbackSignature;
import io.herald.common.webhook.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

/**
 * A status callback receiver as an application would run it: it checks each request's signatures with
 * the application's signing secret (the Standard Webhooks headers, and the older X-Herald-Signature
 * kept for one release), records it, and answers as the test says (by the request's number).
 */
final class CallbackReceiver implements AutoCloseable {
    record Request(String body, String timestamp, String signature, String idempotencyKey, boolean signatureValid,
                   String webhookId, boolean standardSignatureValid, int answered) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final String secret;
    private volatile IntUnaryOperator answers = n -> 200;

    CallbackReceiver(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/callback", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** Chooses the status for the n-th request (1 for the first). */
    void answer(IntUnaryOperator answers) {
        this.answers = answers;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst(CallbackSignature.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(CallbackSignature.SIGNATURE_HEADER);
            boolean valid = timestamp != null && CallbackSignature.verify(secret, Long.parseLong(timestamp), body, signature);
            String webhookId = exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
            String webhookTimestamp = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
            boolean standard = webhookTimestamp != null && WebhookSignature.verify(secret, webhookId, Long.parseLong(webhookTimestamp),
                    body, exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), System.currentTimeMillis() / 1000, 300);
            int status = valid && standard ? answers.applyAsInt(requests.size() + 1) : 401;
            requests.add(new Request(new String(body, java.nio.charset.StandardCharsets.UTF_8), timestamp, signature,
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), valid, webhookId, standard, status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
