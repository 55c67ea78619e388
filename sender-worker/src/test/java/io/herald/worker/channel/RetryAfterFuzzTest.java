package io.herald.worker.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;

/** A receiver's {@code Retry-After}, whatever it says: no wait at all, or one that is not negative (README, "Fuzzing"). */
class RetryAfterFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void any_retry_after_is_read_without_throwing_and_never_negative(FuzzedDataProvider data) {
        Instant now = Instant.ofEpochSecond(data.consumeLong(0, 4_102_444_800L));
        Duration wait = WebhookSender.retryAfter(data.consumeRemainingAsString(), now);
        if (wait != null) {
            assertThat(wait.isNegative()).isFalse();
        }
    }
}
