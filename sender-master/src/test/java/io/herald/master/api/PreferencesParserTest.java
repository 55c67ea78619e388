package io.herald.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dropwizard.jackson.Jackson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PreferencesParserTest {
    private final PreferencesParser parser = new PreferencesParser(Jackson.newObjectMapper(), io.herald.master.api.Targets.of(new io.herald.common.config.HeraldConfiguration()).channels());

    private OptOut parse(String json) {
        return parser.parseOne(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void reads_opt_outs_sorted_and_without_repeats() {
        assertThat(parse("{\"optOut\":{\"all\":true,\"channels\":[\"webhook\",\"email\",\"email\"],\"categories\":[\"news\"]}}"))
                .isEqualTo(new OptOut(true, List.of("email", "webhook"), List.of("news")));
        assertThat(parse("{\"optOut\":{}}")).isEqualTo(OptOut.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                                             | optOut",
        "{\"optOut\":[]}                                | optOut",
        "{\"optOut\":{},\"extra\":1}                    | extra",
        "{\"optOut\":{\"all\":\"yes\"}}                 | optOut.all",
        "{\"optOut\":{\"channels\":[\"fax\"]}}          | optOut.channels[0]",
        "{\"optOut\":{\"channels\":\"email\"}}          | optOut.channels",
        "{\"optOut\":{\"categories\":[\"a b\"]}}        | optOut.categories[0]",
        "{\"optOut\":{\"categories\":[7]}}              | optOut.categories[0]",
        "{\"optOut\":{\"colour\":[]}}                   | optOut.colour",
    })
    void names_the_bad_field(String json, String field) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> parse(json));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
    }

    @Test
    void a_recipient_is_required_and_checked_like_a_key() {
        assertThat(PreferencesParser.recipient("ana@example.org")).isEqualTo("ana@example.org");
        for (String bad : new String[] {null, "", "a\u0007", "r".repeat(256)}) {
            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> PreferencesParser.recipient(bad));
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("recipient");
        }
    }
}
