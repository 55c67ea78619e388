package io.herald.common.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.model.Channel;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Loading channel plug-ins: discovery, settings bound from channels.&lt;name&gt;, and every way a start-up fails. */
class ChannelsTest {
    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    public static class PagerSettings {
        @NotEmpty @JsonProperty public String service = "ops";
        @Min(1) @JsonProperty public int retries = 3;
    }

    /** A plug-in with settings and a target rule of its own. */
    static final class Pager implements ChannelPlugin {
        private final String name;

        Pager(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<?> settingsType() {
            return PagerSettings.class;
        }

        @Override
        public List<String> problems(ChannelSetup setup) {
            return setup.settings(PagerSettings.class).service.equals("forbidden") ? List.of("service 'forbidden' is reserved") : List.of();
        }

        @Override
        public TargetCheck targets(ChannelSetup setup) {
            return target -> target.startsWith("pager:") ? Optional.empty() : Optional.of("must start with pager:");
        }

        @Override
        public ChannelSender open(ChannelSetup setup, ChannelServices services) {
            return m -> java.util.concurrent.CompletableFuture.completedFuture(SendResult.SENT);
        }
    }

    private static Channels load(HeraldConfiguration config, ChannelPlugin... plugins) {
        return Channels.of(List.of(plugins), config, JSON, Validators.newValidator());
    }

    private static HeraldConfiguration with(String section, String json) throws Exception {
        HeraldConfiguration config = new HeraldConfiguration();
        config.channels.put(section, JSON.readTree(json));
        return config;
    }

    @Test
    void the_class_path_holds_the_built_in_channels_as_plug_ins() {
        Channels channels = Channels.load(new HeraldConfiguration(), JSON, Validators.newValidator());
        assertThat(channels.all()).extracting(i -> i.channel().wireName()).containsExactly("email", "log", "slack", "sms", "webhook");
        // sms needs an account; the rest need nothing.
        assertThat(channels.allowedValues()).isEqualTo("email|log|slack|webhook");
        assertThat(channels.lookup("fax").problem()).isEqualTo("unknown channel 'fax'; one of email|log|slack|webhook");
        assertThat(channels.lookup("email").channel()).contains(Channel.EMAIL);
    }

    @Test
    void settings_are_bound_from_their_section_and_missing_ones_take_their_defaults() throws Exception {
        Channels channels = load(with("pager", "{\"service\":\"billing\"}"), new Pager("pager"));
        PagerSettings settings = channels.find("pager").orElseThrow().setup().settings(PagerSettings.class);
        assertThat(settings.service).isEqualTo("billing");
        assertThat(settings.retries).isEqualTo(3);
        assertThat(channels.find("pager").orElseThrow().targets().problem("mail:x")).contains("must start with pager:");
    }

    @Test
    void settings_that_fail_validation_stop_the_start_naming_the_property() throws Exception {
        assertThatThrownBy(() -> load(with("pager", "{\"retries\":0,\"service\":\"\"}"), new Pager("pager")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels.pager.retries must be greater than or equal to 1")
                .hasMessageContaining("channels.pager.service must not be empty");
    }

    @Test
    void unknown_properties_wrong_types_and_a_plug_ins_own_checks_stop_the_start() throws Exception {
        assertThatThrownBy(() -> load(with("pager", "{\"servce\":\"x\"}"), new Pager("pager")))
                .hasMessageContaining("channels.pager: ").hasMessageContaining("servce");
        assertThatThrownBy(() -> load(with("pager", "{\"retries\":\"many\"}"), new Pager("pager")))
                .hasMessageContaining("channels.pager: ");
        assertThatThrownBy(() -> load(with("pager", "{\"service\":\"forbidden\"}"), new Pager("pager")))
                .hasMessageContaining("channels.pager: service 'forbidden' is reserved");
    }

    @Test
    void a_section_no_plug_in_claims_stops_the_start() throws Exception {
        assertThatThrownBy(() -> load(with("fax", "{}"), new Pager("pager")))
                .hasMessageContaining("channels.fax: no channel plug-in named 'fax' on the class path; installed: pager");
    }

    @Test
    void two_plug_ins_with_one_name_or_a_bad_name_stop_the_start() {
        assertThatThrownBy(() -> load(new HeraldConfiguration(), new Pager("pager"), new Pager("pager")))
                .hasMessageContaining("two plug-ins are named 'pager'");
        assertThatThrownBy(() -> load(new HeraldConfiguration(), new Pager("Pager Duty")))
                .hasMessageContaining("channel name 'Pager Duty' must be 1 to 16 lower-case letters");
        assertThatThrownBy(() -> load(new HeraldConfiguration(), new Pager("a-very-long-channel-name")))
                .hasMessageContaining("must be 1 to 16");
    }

    @Test
    void the_built_in_channels_take_no_section_of_their_own() throws Exception {
        assertThatThrownBy(() -> Channels.load(with("email", "{\"host\":\"mx\"}"), JSON, Validators.newValidator()))
                .hasMessageContaining("channels.email: ").hasMessageContaining("host");
    }
}
