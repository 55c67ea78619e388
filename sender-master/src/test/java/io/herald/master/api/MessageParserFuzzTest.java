package io.herald.master.api;

import io.herald.common.config.HeraldConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dropwizard.jackson.Jackson;
import java.util.List;

/**
 * Any request body, as one message or a batch (README, "Fuzzing"): it parses, or it is refused with a
 * 4xx that names a field; nothing else comes out.
 */
class MessageParserFuzzTest {
    private static final MessageParser PARSER = new MessageParser(Jackson.newObjectMapper(), Targets.of(new HeraldConfiguration()),
            new SendAt(java.time.Clock.systemUTC()));

    @FuzzTest(maxDuration = "10s")
    void a_body_parses_or_is_refused_with_a_named_field(FuzzedDataProvider data) {
        boolean batch = data.consumeBoolean();
        byte[] body = data.consumeRemainingAsBytes();
        try {
            List<NewMessage> messages = batch ? PARSER.parseBatch(body, "app") : List.of(PARSER.parseOne(body, "app"));
            assertThat(messages).allSatisfy(m -> {
                assertThat(m.application()).isEqualTo("app");
                assertThat(m.channel()).isNotNull();
                assertThat(m.target()).isNotNull();
                assertThat(m.body() != null || m.template() != null).isTrue();
            });
        } catch (InvalidRequestException refused) {
            assertThat(refused.status()).isBetween(400, 499);
            assertThat(refused.errors()).isNotEmpty().allSatisfy(e -> assertThat(e.field()).isNotBlank());
        }
    }
}
