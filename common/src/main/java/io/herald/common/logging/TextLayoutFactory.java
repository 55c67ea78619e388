package io.herald.common.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.DropwizardLayout;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import jakarta.validation.constraints.NotEmpty;
import java.util.TimeZone;

/**
 * Dropwizard's text layout under a type name, {@code layout: {type: text}}, so that config.yml can
 * choose between it and {@code json} (dropwizard-json-logging) with one variable: {@code LOG_FORMAT}.
 * Dropwizard itself names only the JSON layouts; its text layout is what an appender gets with no layout.
 */
@JsonTypeName("text")
public final class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
    @NotEmpty @JsonProperty public String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n";

    @Override
    public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
        DropwizardLayout layout = new DropwizardLayout(context, timeZone);
        layout.setPattern(pattern);
        return layout;
    }
}
