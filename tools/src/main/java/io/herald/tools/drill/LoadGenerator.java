package io.herald.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offers a steady stream of messages, half webhook and half email, in small batches through any master
 * that answers, every tick one batch from each of the drill's applications. Every message has an
 * idempotency key, so a batch whose answer was lost is simply sent
 * again (to another master) and still yields one message each: "accepted" is exact even while masters die.
 */
final class LoadGenerator implements AutoCloseable {
    private static final long TICK_MILLIS = 100;
    /** Short: a frozen master (SIGSTOP) accepts connections and never answers; the next master should get the batch. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> apis;
    private final String webhookUrl;
    private final String emailTarget;
    private final int perTick;
    private final int limit;
    private final long seed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final Map<Long, String> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger offered = new AtomicInteger();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final Map<Long, String> applications = new ConcurrentHashMap<>();
    private volatile List<Application> senders = List.of();
    private int nextApi;

    /** One application the load sends as: its name and the {@code Authorization} header of its API key. */
    record Application(String name, String authorization) {}

    LoadGenerator(List<String> apis, String webhookUrl, String emailTarget, int rate, int limit, long seed) {
        this.apis = apis;
        this.webhookUrl = webhookUrl;
        this.emailTarget = emailTarget;
        this.perTick = Math.max(1, rate / 10);
        this.limit = limit;
        this.seed = seed;
    }

    /** The applications whose keys the batches carry, one batch each per tick. */
    void applications(List<Application> senders) {
        this.senders = List.copyOf(senders);
    }

    void start() {
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops offering; a batch in flight finishes first. */
    void stop() throws InterruptedException {
        ticker.shutdown();
        if (!ticker.awaitTermination(30, TimeUnit.SECONDS)) {
            ticker.shutdownNow(); // no master has answered for 30 s: give up on the batch in hand
        }
    }

    boolean exhausted() {
        return offered.get() >= limit;
    }

    /** Accepted message ids and their channel. */
    Map<Long, String> accepted() {
        return accepted;
    }

    /** Accepted message ids and the application that sent each. */
    Map<Long, String> applications() {
        return applications;
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    /** One batch per application, the tick's messages split between them, so every moment's sends hold both. */
    private void tick() {
        for (int i = 0; i < senders.size(); i++) {
            int share = perTick / senders.size() + (i < perTick % senders.size() ? 1 : 0);
            if (!offer(senders.get(i), Math.max(1, share))) {
                return;
            }
        }
    }

    /** Offers {@code wanted} messages as {@code sender} until a master takes them; false when done or interrupted. */
    private boolean offer(Application sender, int wanted) {
        int from = offered.get();
        int size = Math.min(wanted, limit - from);
        if (size <= 0) {
            return false;
        }
        String body = batch(sender.name(), from, size);
        // Until some master takes the batch; the keys make every retry safe.
        while (!Thread.currentThread().isInterrupted()) {
            if (submit(sender, body)) {
                offered.addAndGet(size);
                return true;
            }
            failedAttempts.incrementAndGet();
            try {
                Thread.sleep(200); // pace the retries while no master answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private boolean submit(Application sender, String body) {
        String api = apis.get(nextApi++ % apis.size());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + "/v1/messages/batch"))
                    .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            request.header("Authorization", sender.authorization());
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                return false;
            }
            JsonNode results = JSON.readTree(r.body());
            for (int i = 0; i < results.size(); i++) {
                long id = results.get(i).get("id").asLong();
                accepted.put(id, i % 2 == 0 ? "webhook" : "email");
                applications.put(id, sender.name());
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String batch(String application, int from, int size) {
        StringBuilder json = new StringBuilder(size * 160).append('[');
        for (int i = 0; i < size; i++) {
            boolean webhook = i % 2 == 0;
            json.append(i == 0 ? "" : ",")
                    .append("{\"application\":\"").append(application).append("\",\"channel\":\"").append(webhook ? "webhook" : "email")
                    .append("\",\"target\":\"").append(webhook ? webhookUrl : emailTarget)
                    .append("\",\"subject\":\"drill\",\"body\":\"drill message ").append(from + i)
                    .append("\",\"idempotencyKey\":\"drill-").append(seed).append('-').append(from + i).append("\"}");
        }
        return json.append(']').toString();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
