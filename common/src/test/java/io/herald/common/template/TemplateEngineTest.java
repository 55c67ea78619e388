package io.herald.common.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateEngineTest {
    private static final Map<String, Object> CONTEXT = Map.of(
            "name", "<b>Ann & Bob</b>",
            "invoice", Map.of("number", 42, "total", 9.5),
            "items", List.of("tea", "cake"),
            "paid", false);

    @Test
    void html_escapes_every_inserted_value_unless_the_template_asks_for_it_raw() throws Exception {
        assertThat(TemplateEngine.render("<p>Hi {{name}}</p>{{{name}}}", TemplateFormat.HTML, CONTEXT))
                .isEqualTo("<p>Hi &lt;b&gt;Ann &amp; Bob&lt;/b&gt;</p><b>Ann & Bob</b>");
    }

    @Test
    void text_inserts_values_as_they_are() throws Exception {
        assertThat(TemplateEngine.render("Hi {{name}}: invoice {{invoice.number}} for {{invoice.total}}", TemplateFormat.TEXT, CONTEXT))
                .isEqualTo("Hi <b>Ann & Bob</b>: invoice 42 for 9.5");
    }

    @Test
    void sections_loop_over_lists_and_a_missing_or_false_section_is_skipped() throws Exception {
        assertThat(TemplateEngine.render("{{#items}}[{{.}}]{{/items}}{{#discount}}off{{/discount}}{{^paid}} unpaid{{/paid}}",
                TemplateFormat.TEXT, CONTEXT)).isEqualTo("[tea][cake] unpaid");
    }

    @Test
    void a_missing_variable_is_an_error_that_names_it() {
        assertThatThrownBy(() -> TemplateEngine.render("Dear {{customer}}", TemplateFormat.TEXT, CONTEXT))
                .isInstanceOf(TemplateException.class)
                .hasMessage("No method or field with name 'customer' on line 1");
    }

    /** JMustache's default collector would call String.length() and getClass(); the context is data, not code. */
    @ParameterizedTest
    @ValueSource(strings = {"{{name.length}}", "{{#name}}{{length}}{{/name}}", "{{name.class}}", "{{invoice.size}}", "{{items.class.name}}"})
    void a_template_reaches_only_the_contexts_keys_never_java_methods(String source) {
        assertThatThrownBy(() -> TemplateEngine.render(source, TemplateFormat.TEXT, CONTEXT)).isInstanceOf(TemplateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{#open}}never closed", "{{/close}}", "{{#a}}{{/b}}", "{{=<% %>=}}<%#x%>"})
    void a_malformed_template_is_refused_when_checked(String source) {
        assertThatThrownBy(() -> TemplateEngine.check(source)).isInstanceOf(TemplateException.class).hasMessageContaining("line");
    }

    @Test
    void a_partial_is_refused_when_checked_and_when_rendered() {
        assertThatThrownBy(() -> TemplateEngine.check("a {{#x}}{{> footer}}{{/x}}"))
                .isInstanceOf(TemplateException.class).hasMessage("partials are not supported: {{> footer}}");
        assertThatThrownBy(() -> TemplateEngine.render("{{> footer}}", TemplateFormat.TEXT, Map.of()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("partials are not supported");
    }

    @Test
    void a_valid_template_passes_the_check() throws Exception {
        TemplateEngine.check("Invoice {{invoice.number}}{{#items}}, {{.}}{{/items}}{{^items}} none{{/items}}");
    }
}
