package io.herald.common.template;

import com.samskivert.mustache.BasicCollector;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Iterator;
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
 *       it raw, as the template's author chose. {@link TemplateFormat#BLOCKS} escapes values for a JSON
 *       string. Text and subjects are never escaped.
 *   <li>Every template is bounded by {@link TemplateLimits}: its nesting when it is checked and rendered,
 *       its output and the list elements it steps through while it renders. A render past a limit, or
 *       one that overflows the stack, fails with a {@link TemplateException}; so does one whose thread
 *       is interrupted (a render that timed out).
 * </ul>
 */
public final class TemplateEngine {
    private static final Mustache.Compiler TEXT = Mustache.compiler()
            .withCollector(new ContextOnlyCollector())
            .withLoader(name -> {
                throw new MustacheException("partials are not supported: {{> " + name + "}}");
            })
            .withEscaper(Escapers.NONE);

    private final TemplateLimits limits;

    public TemplateEngine(TemplateLimits limits) {
        this.limits = limits;
    }

    /** Checks that {@code source} is a template Herald can render: not nested too deep, it compiles, and includes nothing. */
    public void check(String source) throws TemplateException {
        Template template = compile(TEXT, source);
        PartialFinder partials = new PartialFinder();
        try {
            template.visit(partials);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
        if (partials.found != null) {
            throw new TemplateException("partials are not supported: {{> " + partials.found + "}}");
        }
    }

    /** Renders {@code source} with {@code context}, a JSON object as maps, lists, strings, numbers and booleans. */
    public String render(String source, TemplateFormat format, Map<String, ?> context) throws TemplateException {
        Mustache.Compiler compiler = TEXT.withCollector(new ContextOnlyCollector(new Budget(limits.maxSectionIterations())));
        Template template = compile(switch (format) {
            case HTML -> compiler.withEscaper(Escapers.HTML);
            // Inside a JSON string: a value's quote or backslash cannot end the string or break the array.
            case BLOCKS -> compiler.withEscaper(raw -> new String(JsonStringEncoder.getInstance().quoteAsString(raw)));
            case TEXT -> compiler;
        }, source);
        StringWriter out = new StringWriter();
        try {
            template.execute(context, new BoundedWriter(out, limits.maxRenderedBytes()));
            return out.toString();
        } catch (LimitExceeded e) {
            throw new TemplateException(e.getMessage());
        } catch (MustacheException e) {
            throw new TemplateException(e.getCause() instanceof LimitExceeded limit ? limit.getMessage() : e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new TemplateException(e.getMessage());
        } catch (StackOverflowError e) {
            throw tooDeep();
        } catch (RuntimeException e) {
            throw new TemplateException("rendering failed (" + e + ")");
        }
    }

    private Template compile(Mustache.Compiler compiler, String source) throws TemplateException {
        int depth = SectionDepth.of(source);
        if (depth > limits.maxDepth()) {
            throw new TemplateException("sections are nested " + depth + " deep; at most " + limits.maxDepth() + " are allowed");
        }
        try {
            return compiler.compile(source);
        } catch (MustacheException e) {
            throw new TemplateException(e.getMessage());
        } catch (StackOverflowError e) {
            throw tooDeep();
        } catch (RuntimeException e) {
            // JMustache's parser throws StringIndexOutOfBoundsException on an empty tag ({{}}), found by TemplateFuzzTest.
            throw new TemplateException("not a template JMustache can read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static TemplateException tooDeep() {
        return new TemplateException("the template is nested too deeply to render");
    }

    /** A render that went past one of its limits; unchecked, to pass through JMustache. */
    private static final class LimitExceeded extends RuntimeException {
        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    /** List elements one render may still step through; also where a timed-out render notices its interrupt. */
    private static final class Budget {
        private final long max;
        private long used;

        Budget(long max) {
            this.max = max;
        }

        void spend() {
            if (++used > max) {
                throw new LimitExceeded("the template steps through more than " + max + " list elements (templates.maxSectionIterations)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new LimitExceeded("rendering was stopped (templates.renderTimeout)");
            }
        }
    }

    /** Counts output as UTF-8 bytes and stops the render when it passes the limit. */
    private static final class BoundedWriter extends Writer {
        private final Writer out;
        private final long max;
        private long bytes;

        BoundedWriter(Writer out, long max) {
            this.out = out;
            this.max = max;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            if (bytes > max) {
                throw new LimitExceeded("the rendered text is larger than " + max + " bytes (templates.maxRenderedBytes)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new LimitExceeded("rendering was stopped (templates.renderTimeout)");
            }
            out.write(chars, offset, length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Resolves names in maps and list indexes only; never reflects on objects. Each list step spends the budget. */
    private static final class ContextOnlyCollector extends BasicCollector {
        private final Budget budget;

        ContextOnlyCollector() {
            this(null);
        }

        ContextOnlyCollector(Budget budget) {
            this.budget = budget;
        }

        @Override
        public Iterator<?> toIterator(Object value) {
            Iterator<?> iterator = super.toIterator(value);
            if (iterator == null || budget == null) {
                return iterator;
            }
            return new Iterator<Object>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public Object next() {
                    budget.spend();
                    return iterator.next();
                }
            };
        }

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
