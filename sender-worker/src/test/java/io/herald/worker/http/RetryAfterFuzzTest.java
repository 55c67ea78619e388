package io.herald.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;

/** A receiver's {@code Retry-After}, whatever it says: no wait at all, or one between zero and the cap (README, "Fuzzing"). */
class RetryAfterFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void any_retry_after_is_read_without_throwing_and_stays_within_the_cap(FuzzedDataProvider data) {
        Instant now = Instant.ofEpochSecond(data.consumeLong(0, 4_102_444_800L));
        Duration cap = Duration.ofSeconds(data.consumeLong(0, 30L * 24 * 3600));
        Duration wait = RetryAfter.parse(data.consumeRemainingAsString(), now, cap);
        if (wait != null) {
            assertThat(wait).isBetween(Duration.ZERO, cap);
        }
    }
}
