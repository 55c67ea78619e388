package io.herald.common.template;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mustache (JMustache) in a safe, strict mode. Mustache is logic-less: a template can only insert
 * values, loop over lists and test for presence, so no template can run code. On top of that:
 *
 * <ul>
 *   <li>Values are looked up only as keys of the JSON context (maps and lists), never through Java
 *       reflection: JMustache's default collector would call getters and methods on objects.
 *   <li>Partials ({@code {{> name}}}) are refused: a template cannot pull in anything else.
 *   <li>A variable missing from the context is an error, not an empty string, so a message is never
 *       sent with a hole in it. A section over a missing name is simply skipped: that is how a
 *       template says "optional".
 *   <li>{@link TemplateFormat#HTML} escapes every {@code {{value}}} for HTML; {@code {{{value}}}} inserts
 *       it raw, as the template's author chose. Text and subjects are never escaped.
 * </ul>
 */
public final class TemplateEngine {
    private static final Mustache.Compiler TEXT = Mustache.compiler()
            .withCollector(new ContextOnlyCollector())
            .withLoader(name -> {
                throw new MustacheException("partials are not supported: {{> " + name + "}}");
            })
            .withEscaper(Escapers.NONE);
    private static final Mustache.Compiler HTML = TEXT.withEscaper(Escapers.HTML);

    private TemplateEngine() {}

    /** Checks that {@code source} is a template Herald can render: it compiles and includes nothing. */
    public static void check(String source) throws TemplateException {
        Template template = compile(TEXT, source);
        PartialFinder partials = new PartialFinder();
        template.visit(partials);
        if (partials.found != null) {
            throw new TemplateException("partials are not supported: {{> " + partials.found + "}}");
        }
    }

    /** Renders {@code source} with {@code context}, a JSON object as maps, lists, strings, numbers and booleans. */
    public static String render(String source, TemplateFormat format, Map<String, ?> context) throws TemplateException {
        Template template = compile(format == TemplateFormat.HTML ? HTML : TEXT, source);
        try {
            return template.execute(context);
        } catch (MustacheException | UnsupportedOperationException e) {
            throw new TemplateException(e.getMessage());
        }
    }

    private static Template compile(Mustache.Compiler compiler, String source) throws TemplateException {
        try {
            return compiler.compile(source);
        } catch (MustacheException e) {
            throw new TemplateException(e.getMessage());
        }
    }

    /** Resolves names in maps and list indexes only; never reflects on objects. */
    private static final class ContextOnlyCollector extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    }

    private static final class PartialFinder implements Mustache.Visitor {
        String found;

        @Override
        public void visitText(String text) {}

        @Override
        public void visitVariable(String name) {}

        @Override
        public boolean visitInclude(String name) {
            found = found == null ? name : found;
            return false;
        }

        @Override
        public boolean visitSection(String name) {
            return true;
        }

        @Override
        public boolean visitInvertedSection(String name) {
            return true;
        }
    }
}
