package io.herald.worker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.template.TemplateEngine;
import io.herald.common.template.TemplateException;
import io.herald.common.template.TemplateFormat;
import io.herald.common.template.TemplateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageRendererTest {
    /** No budget worth the name: only the timeout can stop a bomb. */
    private final MessageRenderer renderer = new MessageRenderer(new ObjectMapper(),
            new TemplateEngine(new TemplateLimits(16, Long.MAX_VALUE, Long.MAX_VALUE)), Duration.ofMillis(500), 1, "w1");

    @AfterEach
    void close() {
        renderer.close();
    }

    private static OutgoingMessage templated(String body, String context) {
        return new OutgoingMessage(7, "app", Channel.LOG, "ops", null, null, Priority.MEDIUM, Instant.EPOCH, 1, 0,
                new TemplateRef("t", context, null, body, TemplateFormat.TEXT), TemplateFormat.TEXT, null, null, null, null);
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<OutgoingMessage> rendering) {
        Throwable thrown = catchThrowable(() -> rendering.get(10, TimeUnit.SECONDS));
        return thrown.getCause() instanceof CompletionException c ? c.getCause() : thrown.getCause();
    }

    @Test
    void a_render_runs_on_a_renderer_thread_not_the_callers() throws Exception {
        String[] thread = new String[1];
        MessageRenderer one = new MessageRenderer(new ObjectMapper(),
                new TemplateEngine(new TemplateLimits(16, Long.MAX_VALUE, Long.MAX_VALUE)), Duration.ofSeconds(2), 1, "w1");
        // The one renderer thread is busy with a bomb until its 2 s timeout, so the next render is still
        // queued when its callback is attached, and the callback runs where the render completes.
        String list = IntStream.range(0, 1_500).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        one.render(templated("{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}", "{\"l\":" + list + "}"));
        java.util.concurrent.CompletableFuture<OutgoingMessage> queued = one.render(templated("hello {{name}}", "{\"name\":\"Ann\"}"));
        OutgoingMessage rendered = queued.whenComplete((m, e) -> thread[0] = Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        assertThat(rendered.body()).isEqualTo("hello Ann");
        assertThat(thread[0]).isEqualTo("renderer-w1");
        one.close();
    }

    @Test
    void a_render_still_running_at_the_timeout_is_stopped_and_fails_its_message() throws Exception {
        renderer.render(templated("warm {{x}}", "{\"x\":0}")).get(10, TimeUnit.SECONDS);
        String list = IntStream.range(0, 1_500).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        Throwable failed = failure(renderer.render(templated("{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}", "{\"l\":" + list + "}")));
        assertThat(failed).isInstanceOf(TemplateException.class).hasMessageContaining("rendering was stopped (templates.renderTimeout)");

        // The renderer thread is free again, and its interrupt does not leak into the next render.
        assertThat(renderer.render(templated("ok {{x}}", "{\"x\":1}")).get(10, TimeUnit.SECONDS).body()).isEqualTo("ok 1");
    }

    @Test
    void a_template_that_overflows_the_stack_fails_its_message_alone() throws Exception {
        MessageRenderer deep = new MessageRenderer(new ObjectMapper(),
                new TemplateEngine(new TemplateLimits(Integer.MAX_VALUE, 1 << 20, 1 << 20)), Duration.ofSeconds(10), 1, "w2");
        try {
            String body = "{{#a}}".repeat(50_000) + "{{/a}}".repeat(50_000);
            assertThat(failure(deep.render(templated(body, "{\"a\":{}}")))).isInstanceOf(TemplateException.class);
            assertThat(deep.render(templated("still {{x}}", "{\"x\":2}")).get(10, TimeUnit.SECONDS).body()).isEqualTo("still 2");
        } finally {
            deep.close();
        }
    }

    @Test
    void a_message_without_a_template_is_not_handed_to_a_renderer() throws Exception {
        OutgoingMessage plain = new OutgoingMessage(8, "app", Channel.LOG, "ops", null, "b", Priority.MEDIUM, Instant.EPOCH, 1, 0,
                null, TemplateFormat.TEXT, null, null, null, null);
        assertThat(renderer.render(plain).isDone()).isTrue();
    }
}
