package io.herald.common.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateEngineTest {
    private static final TemplateEngine ENGINE = new TemplateEngine(TemplateLimits.DEFAULT);
    private static final Map<String, Object> CONTEXT = Map.of(
            "name", "<b>Ann & Bob</b>",
            "invoice", Map.of("number", 42, "total", 9.5),
            "items", List.of("tea", "cake"),
            "paid", false);

    @Test
    void html_escapes_every_inserted_value_unless_the_template_asks_for_it_raw() throws Exception {
        assertThat(ENGINE.render("<p>Hi {{name}}</p>{{{name}}}", TemplateFormat.HTML, CONTEXT))
                .isEqualTo("<p>Hi &lt;b&gt;Ann &amp; Bob&lt;/b&gt;</p><b>Ann & Bob</b>");
    }

    @Test
    void blocks_escape_every_value_for_a_json_string_so_a_value_cannot_break_out_of_it() throws Exception {
        Map<String, Object> context = Map.of("name", "Ann\", \"x\": [\\\n</b>");
        String rendered = ENGINE.render("[{\"text\":\"Hi {{name}}\"}]", TemplateFormat.BLOCKS, context);

        assertThat(rendered).isEqualTo("[{\"text\":\"Hi Ann\\\", \\\"x\\\": [\\\\\\n</b>\"}]");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(rendered).get(0).get("text").asText())
                .isEqualTo("Hi Ann\", \"x\": [\\\n</b>");
    }

    @Test
    void text_inserts_values_as_they_are() throws Exception {
        assertThat(ENGINE.render("Hi {{name}}: invoice {{invoice.number}} for {{invoice.total}}", TemplateFormat.TEXT, CONTEXT))
                .isEqualTo("Hi <b>Ann & Bob</b>: invoice 42 for 9.5");
    }

    @Test
    void sections_loop_over_lists_and_a_missing_or_false_section_is_skipped() throws Exception {
        assertThat(ENGINE.render("{{#items}}[{{.}}]{{/items}}{{#discount}}off{{/discount}}{{^paid}} unpaid{{/paid}}",
                TemplateFormat.TEXT, CONTEXT)).isEqualTo("[tea][cake] unpaid");
    }

    @Test
    void a_missing_variable_is_an_error_that_names_it() {
        assertThatThrownBy(() -> ENGINE.render("Dear {{customer}}", TemplateFormat.TEXT, CONTEXT))
                .isInstanceOf(TemplateException.class)
                .hasMessage("No method or field with name 'customer' on line 1");
    }

    /** JMustache's default collector would call String.length() and getClass(); the context is data, not code. */
    @ParameterizedTest
    @ValueSource(strings = {"{{name.length}}", "{{#name}}{{length}}{{/name}}", "{{name.class}}", "{{invoice.size}}", "{{items.class.name}}"})
    void a_template_reaches_only_the_contexts_keys_never_java_methods(String source) {
        assertThatThrownBy(() -> ENGINE.render(source, TemplateFormat.TEXT, CONTEXT)).isInstanceOf(TemplateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{#open}}never closed", "{{/close}}", "{{#a}}{{/b}}", "{{=<% %>=}}<%#x%>"})
    void a_malformed_template_is_refused_when_checked(String source) {
        assertThatThrownBy(() -> ENGINE.check(source)).isInstanceOf(TemplateException.class).hasMessageContaining("line");
    }

    @Test
    void a_partial_is_refused_when_checked_and_when_rendered() {
        assertThatThrownBy(() -> ENGINE.check("a {{#x}}{{> footer}}{{/x}}"))
                .isInstanceOf(TemplateException.class).hasMessage("partials are not supported: {{> footer}}");
        assertThatThrownBy(() -> ENGINE.render("{{> footer}}", TemplateFormat.TEXT, Map.of()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("partials are not supported");
    }

    @Test
    void a_valid_template_passes_the_check() throws Exception {
        ENGINE.check("Invoice {{invoice.number}}{{#items}}, {{.}}{{/items}}{{^items}} none{{/items}}");
    }

    @Test
    void sections_nested_past_the_limit_are_refused_when_checked_and_when_rendered() throws Exception {
        String deep = "{{#a}}".repeat(17) + "x" + "{{/a}}".repeat(17);
        assertThatThrownBy(() -> ENGINE.check(deep)).isInstanceOf(TemplateException.class)
                .hasMessage("sections are nested 17 deep; at most 16 are allowed");
        assertThatThrownBy(() -> ENGINE.render(deep, TemplateFormat.TEXT, Map.of())).hasMessageContaining("nested 17 deep");
        ENGINE.check("{{#a}}".repeat(16) + "x" + "{{/a}}".repeat(16));
    }

    @Test
    void the_depth_scan_follows_changed_delimiters_and_inverted_sections() {
        String deep = "{{=<% %>=}}" + "<%^a%>".repeat(17) + "<%/a%>".repeat(17);
        assertThatThrownBy(() -> ENGINE.check(deep)).hasMessageContaining("nested 17 deep");
    }

    @Test
    void thousands_of_nested_sections_are_refused_without_touching_the_stack() {
        String deep = "{{#a}}".repeat(5_400) + "{{/a}}".repeat(5_400);
        TemplateEngine lenient = new TemplateEngine(new TemplateLimits(100, 1024, 100));
        assertThatThrownBy(() -> lenient.check(deep)).hasMessageContaining("nested 5400 deep");
    }

    @Test
    void a_render_that_overflows_the_stack_fails_that_render_alone() {
        int levels = 20_000;
        TemplateEngine unbounded = new TemplateEngine(new TemplateLimits(Integer.MAX_VALUE, 1 << 20, 1 << 20));
        Map<String, Object> context = Map.of("a", Map.of());
        assertThatThrownBy(() -> unbounded.render("{{#a}}".repeat(levels) + "{{/a}}".repeat(levels), TemplateFormat.TEXT, context))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void output_past_the_limit_stops_the_render() {
        TemplateEngine small = new TemplateEngine(new TemplateLimits(16, 1000, 100_000));
        List<Integer> items = java.util.stream.IntStream.range(0, 200).boxed().toList();
        assertThatThrownBy(() -> small.render("{{#items}}0123456789{{/items}}", TemplateFormat.TEXT, Map.of("items", items)))
                .isInstanceOf(TemplateException.class)
                .hasMessage("the rendered text is larger than 1000 bytes (templates.maxRenderedBytes)");
        assertThatThrownBy(() -> small.render("{{#items}}ééééé{{/items}}", TemplateFormat.TEXT, Map.of("items", items.subList(0, 101))))
                .hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void a_nested_loop_that_would_expand_to_terabytes_stops_at_the_iteration_budget_even_with_no_output() {
        List<Integer> items = java.util.stream.IntStream.range(0, 1_500).boxed().toList();
        String bomb = "{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}";
        assertThatThrownBy(() -> ENGINE.render(bomb, TemplateFormat.TEXT, Map.of("l", items)))
                .isInstanceOf(TemplateException.class)
                .hasMessage("the template steps through more than 100000 list elements (templates.maxSectionIterations)");
    }

    @Test
    void an_interrupted_render_stops() {
        List<Integer> items = java.util.stream.IntStream.range(0, 10).boxed().toList();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> ENGINE.render("{{#l}}x{{/l}}", TemplateFormat.TEXT, Map.of("l", items)))
                    .hasMessage("rendering was stopped (templates.renderTimeout)");
        } finally {
            Thread.interrupted();
        }
    }

    /** Found by TemplateFuzzTest: JMustache's parser fails on an empty tag with StringIndexOutOfBoundsException. */
    @ParameterizedTest
    @ValueSource(strings = {"{{}}", "{{ }}", "a {{#x}}{{}}{{/x}}"})
    void an_empty_tag_is_refused_as_a_template_error(String source) {
        assertThatThrownBy(() -> ENGINE.check(source)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("not a template JMustache can read");
        assertThatThrownBy(() -> ENGINE.render(source, TemplateFormat.TEXT, Map.of())).isInstanceOf(TemplateException.class);
    }
}
