package io.herald.tools.drill;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The drill's webhook receiver: records each delivery by its Idempotency-Key, notes one whose
 * {@code webhook-id} differs from it (a receiver deduplicating by either must see the same id on a repeat),
 * and answers as the fault plan says.
 */
final class WebhookSink implements AutoCloseable {
    private static final String KEY_PREFIX = "herald-";

    private final Server server = new Server(new QueuedThreadPool(64, 8));
    private final ServerConnector connector = new ServerConnector(server);
    private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor();
    private final DeliveryLedger ledger;
    private final long lateAnswerMillis;

    /** {@code lateAnswerMillis} must exceed the workers' webhook request timeout. */
    WebhookSink(DeliveryLedger ledger, long lateAnswerMillis) throws Exception {
        this.ledger = ledger;
        this.lateAnswerMillis = lateAnswerMillis;
        connector.setHost("127.0.0.1");
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                answer(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/hook";
    }

    private void answer(Request request, Response response, Callback callback) throws java.io.IOException {
        Content.Source.consumeAll(request); // read the whole body, as a real receiver would, before answering
        String key = request.getHeaders().get("Idempotency-Key");
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            respond(response, callback, 400);
            return;
        }
        switch (ledger.arrive(Long.parseLong(key.substring(KEY_PREFIX.length())), key.equals(request.getHeaders().get("webhook-id")))) {
            case ACCEPT -> respond(response, callback, 200);
            case TRANSIENT -> respond(response, callback, 500);
            case THROTTLE -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                respond(response, callback, 429);
            }
            case PERMANENT -> respond(response, callback, 422);
            case TIMEOUT_AFTER_ACCEPT -> late.schedule(() -> respond(response, callback, 200), lateAnswerMillis, TimeUnit.MILLISECONDS);
            case CLOSE_AFTER_ACCEPT -> {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new IllegalStateException("connection dropped after accepting, on purpose"));
            }
        }
    }

    private static void respond(Response response, Callback callback, int status) {
        response.setStatus(status);
        callback.succeeded();
    }

    @Override
    public void close() throws Exception {
        late.shutdownNow();
        server.stop();
    }
}
