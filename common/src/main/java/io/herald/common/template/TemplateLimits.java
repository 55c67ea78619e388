package io.herald.common.template;

/**
 * What one template may cost: sections nested at most {@code maxDepth} deep, at most
 * {@code maxRenderedBytes} of output (UTF-8), and at most {@code maxSectionIterations} list elements
 * iterated over in one render, summed over all sections. The last two bound a render's time too: a
 * render does work only while it writes output or steps through a list.
 */
public record TemplateLimits(int maxDepth, long maxRenderedBytes, long maxSectionIterations) {
    public static final TemplateLimits DEFAULT = new TemplateLimits(16, 1024 * 1024, 100_000);

    public TemplateLimits {
        if (maxDepth < 1 || maxRenderedBytes < 1 || maxSectionIterations < 1) {
            throw new IllegalArgumentException("template limits must be positive");
        }
    }
}
