package io.herald.common.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any template text, checked and rendered against a context of lists and maps (README, "Fuzzing"):
 * the only failure is a TemplateException, and no output passes the limit.
 */
class TemplateFuzzTest {
    private static final TemplateLimits LIMITS = new TemplateLimits(8, 16 * 1024, 5_000);
    private static final TemplateEngine ENGINE = new TemplateEngine(LIMITS);

    @FuzzTest(maxDuration = "10s")
    void a_template_fails_only_with_a_template_exception_and_stays_within_its_limits(FuzzedDataProvider data) {
        int elements = data.consumeInt(0, 50);
        String value = data.consumeString(20);
        TemplateFormat format = data.consumeBoolean() ? TemplateFormat.HTML : TemplateFormat.TEXT;
        String source = data.consumeRemainingAsString();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < elements; i++) {
            list.add(Map.of("v", value, "i", i, "l", List.of(i, value)));
        }
        Map<String, Object> context = Map.of("l", list, "v", value, "m", Map.of("l", list, "v", value), "t", true);
        try {
            ENGINE.check(source);
        } catch (TemplateException expected) {
            // refused at save: fine
        }
        try {
            String out = ENGINE.render(source, format, context);
            assertThat(out.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo((int) LIMITS.maxRenderedBytes());
        } catch (TemplateException expected) {
            assertThat(expected.getMessage()).isNotNull();
        }
    }
}
