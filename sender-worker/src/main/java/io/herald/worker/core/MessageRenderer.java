package io.herald.worker.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.loop.NamedThreads;
import io.herald.common.template.TemplateEngine;
import io.herald.common.template.TemplateException;
import io.herald.common.template.TemplateFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renders a templated message just before it is sent, with the template as it is at that attempt.
 * Rendering here rather than at submission keeps the API fast and lets a fixed template heal messages
 * still waiting to be retried; a failure fails the message with the engine's error.
 *
 * <p>Renders run on their own threads, never on the threads that reserve messages, and each is stopped
 * once it has run for {@code timeout} (counted from when it starts, not while it queues): one tenant's
 * template costs its own message, never another application's messages in the same chunk. Whatever a
 * render throws, a stack overflow included, fails that message alone.
 */
public final class MessageRenderer implements AutoCloseable {
    private static final TypeReference<Map<String, Object>> CONTEXT = new TypeReference<>() {};

    private final ObjectMapper json;
    private final TemplateEngine engine;
    private final Duration timeout;
    private final ExecutorService renderers;
    private final ScheduledExecutorService alarms;

    public MessageRenderer(ObjectMapper json, TemplateEngine engine, Duration timeout, int threads, String workerId) {
        this.json = json;
        this.engine = engine;
        this.timeout = timeout;
        this.renderers = NamedThreads.pool("renderer", workerId, threads);
        this.alarms = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("render-timeout", workerId));
    }

    /** The message ready to send ({@code m} itself if it names no template), or a {@link TemplateException}. */
    public CompletableFuture<OutgoingMessage> render(OutgoingMessage m) {
        if (m.template() == null) {
            return CompletableFuture.completedFuture(m);
        }
        CompletableFuture<OutgoingMessage> result = new CompletableFuture<>();
        renderers.execute(() -> renderWithAlarm(m, result));
        return result;
    }

    private void renderWithAlarm(OutgoingMessage m, CompletableFuture<OutgoingMessage> result) {
        Thread self = Thread.currentThread();
        Object lock = new Object();
        boolean[] finished = {false};
        ScheduledFuture<?> alarm = alarms.schedule(() -> {
            synchronized (lock) {
                if (!finished[0]) {
                    self.interrupt(); // the engine checks for it between steps and stops
                }
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            result.complete(renderNow(m));
        } catch (TemplateException e) {
            result.completeExceptionally(e);
        } catch (RuntimeException | StackOverflowError e) {
            result.completeExceptionally(new TemplateException(which(m) + ": rendering failed: " + e));
        } finally {
            synchronized (lock) {
                finished[0] = true;
            }
            alarm.cancel(false);
            Thread.interrupted(); // an alarm that fired belongs to this render, not to the next one
        }
    }

    OutgoingMessage renderNow(OutgoingMessage m) throws TemplateException {
        TemplateRef t = m.template();
        String which = which(m);
        if (!t.exists()) {
            throw new TemplateException(which + " no longer exists");
        }
        Map<String, Object> context = context(t, which);
        String subject = t.subject() == null ? null : part(which + " subject", t.subject(), TemplateFormat.TEXT, context);
        String body = part(which + " body", t.body(), t.format(), context);
        return m.rendered(subject, body, t.format());
    }

    private static String which(OutgoingMessage m) {
        return "template '" + m.template().name() + "' (" + m.channel().wireName() + ")";
    }

    private Map<String, Object> context(TemplateRef t, String which) throws TemplateException {
        try {
            return json.readValue(t.context(), CONTEXT);
        } catch (IOException e) {
            throw new TemplateException(which + ": the stored context is not a JSON object");
        }
    }

    private String part(String which, String source, TemplateFormat format, Map<String, Object> context) throws TemplateException {
        try {
            return engine.render(source, format, context);
        } catch (TemplateException e) {
            throw new TemplateException(which + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        renderers.shutdownNow();
        alarms.shutdownNow();
    }
}
