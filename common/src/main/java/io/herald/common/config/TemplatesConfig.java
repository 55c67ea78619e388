package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.herald.common.template.TemplateLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/** Bounds on what one template may cost (README, "Templates"). */
public class TemplatesConfig {
    /** Sections nested in sections, at most; checked when a template is saved and again when it renders. */
    @Min(1) @Max(100) @JsonProperty public int maxDepth = 16;

    /** A render that would produce more than this (UTF-8) fails its message. */
    @MinDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
    @MaxDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    public DataSize maxRenderedBytes = DataSize.mebibytes(1);

    /** Work per render: list elements a render may iterate over, summed over every section. */
    @Min(1) @Max(100_000_000) @JsonProperty public int maxSectionIterations = 100_000;

    /** A render still running after this fails its message; it runs off the threads that claim messages. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration renderTimeout = Duration.seconds(2);

    public TemplateLimits limits() {
        return new TemplateLimits(maxDepth, maxRenderedBytes.toBytes(), maxSectionIterations);
    }
}
