package io.herald.master.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/** Any duration parameter ({@code wait}, {@code olderThan}): a duration within the bound, or a 400 naming it (README, "Fuzzing"). */
class DurationFuzzTest {
    private static final Duration MAX = Duration.ofSeconds(60);

    @FuzzTest(maxDuration = "10s")
    void a_duration_is_within_its_bound_or_refused_naming_the_parameter(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Duration parsed = QueryParams.duration("wait", text, MAX);
            assertThat(parsed).isNotNull().isBetween(Duration.ZERO, MAX);
        } catch (InvalidRequestException refused) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errors().get(0).field()).isEqualTo("wait");
        }
    }
}
