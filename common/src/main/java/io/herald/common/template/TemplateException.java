package io.herald.common.template;

/** A template that does not compile, or does not render with the context given; the message is the engine's. */
public final class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message, null, false, false);
    }
}
