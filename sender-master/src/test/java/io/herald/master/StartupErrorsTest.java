package io.herald.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.herald.common.config.HeraldConfiguration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration stops the service with a message naming the setting, and no stack trace. */
class StartupErrorsTest {
    @TempDir
    Path dir;

    private String run(String yaml, String... args) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, yaml);
        String[] captured = new String[1];
        new MasterApplication() {
            {
                Bootstrap<HeraldConfiguration> bootstrap = new Bootstrap<>(this);
                initialize(bootstrap);
                addDefaultCommands(bootstrap);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                String[] withConfig = new String[args.length + 1];
                System.arraycopy(args, 0, withConfig, 0, args.length);
                withConfig[args.length] = config.toString();
                Optional<Throwable> failure = new Cli(new JarLocation(getClass()), bootstrap, out, err).run(withConfig);
                assertThat(failure).isPresent();
                captured[0] = err.toString(StandardCharsets.UTF_8);
            }
        };
        return captured[0];
    }

    @Test
    void an_out_of_range_setting_is_named_without_a_stack_trace() throws Exception {
        String err = run("master:\n  claimBatchSize: 0\n", "server");
        assertThat(err).contains("master.claimBatchSize must be greater than or equal to 1").doesNotContain("\tat ");
    }

    @Test
    void a_fan_out_chunk_size_out_of_bounds_is_named_without_a_stack_trace() throws Exception {
        assertThat(run("master:\n  fanoutChunkSize: 0\n", "check"))
                .contains("master.fanoutChunkSize must be greater than or equal to 1").doesNotContain("\tat ");
        assertThat(run("master:\n  fanoutChunkSize: 5001\n", "check"))
                .contains("master.fanoutChunkSize must be less than or equal to 5000").doesNotContain("\tat ");
    }

    @Test
    void smtp_relays_with_one_name_twice_or_without_a_host_are_named_without_a_stack_trace() throws Exception {
        assertThat(run("smtp:\n  relays:\n    - name: a\n      host: h1\n    - name: a\n      host: h2\n", "check"))
                .contains("smtp.relays: each relay needs a name of its own").doesNotContain("\tat ");
        assertThat(run("smtp:\n  relays:\n    - name: a\n", "check"))
                .contains("smtp.relays[0].host must not be empty").doesNotContain("\tat ");
        assertThat(run("smtp:\n  relays:\n    - name: a\n      host: h\n      downFor: 0s\n", "check"))
                .contains("smtp.relays[0].downFor must be greater than or equal to 1 SECONDS").doesNotContain("\tat ");
    }

    @Test
    void an_unparseable_duration_is_named_without_a_stack_trace() throws Exception {
        String err = run("zookeeper:\n  sessionTimeout: banana\n", "check");
        assertThat(err).contains("zookeeper.sessionTimeout").doesNotContain("\tat ");
    }

    @Test
    void a_non_mysql_database_url_is_refused_by_the_db_command() throws Exception {
        String err = run("database:\n  url: postgres://db/herald\n", "db", "migrate");
        assertThat(err).contains("database.url must be a MySQL JDBC URL").doesNotContain("\tat ");
    }

    @Test
    void a_stalled_transaction_timeout_not_below_the_session_timeout_is_refused() throws Exception {
        String err = run("zookeeper:\n  sessionTimeout: 4s\nmaster:\n  stalledTransactionTimeout: 4s\n", "check");
        assertThat(err).contains("master.stalledTransactionTimeout must be shorter than zookeeper.sessionTimeout")
                .doesNotContain("\tat ");
    }

    @Test
    void a_stalled_transaction_timeout_in_fractions_of_a_second_is_refused() throws Exception {
        String err = run("master:\n  stalledTransactionTimeout: 1500ms\n", "check");
        assertThat(err).contains("master.stalledTransactionTimeout must be whole seconds").doesNotContain("\tat ");
    }

    @Test
    void a_node_without_an_unsubscribe_key_of_32_characters_does_not_start() throws Exception {
        String err = run("admin:\n  token: " + "t".repeat(32) + "\nunsubscribe:\n  key: short\n", "server");
        assertThat(err).contains("unsubscribe.key (environment UNSUBSCRIBE_KEY) must be at least 32 characters").doesNotContain("\tat ");
    }

    @Test
    void an_unsubscribe_base_url_that_is_not_an_http_url_is_refused() throws Exception {
        String err = run("unsubscribe:\n  baseUrl: herald.example.com/path?x=1\n", "check");
        assertThat(err).contains("unsubscribe.baseUrl must be an absolute http or https URL").doesNotContain("\tat ");
    }

    @Test
    void a_suppression_ttl_past_ten_years_is_refused() throws Exception {
        String err = run("suppression:\n  defaultTtl: 36500d\n", "check");
        assertThat(err).contains("suppression.defaultTtl must be 0").doesNotContain("\tat ");
    }

    @Test
    void a_bad_channel_setting_stops_the_node_naming_it_before_it_connects_anywhere() throws Exception {
        String keys = "admin:\n  token: " + "t".repeat(32) + "\nunsubscribe:\n  key: " + "u".repeat(32) + "\n";
        String err = run(keys + "channels:\n  slack:\n    ratePerSecond: 0\n  fax:\n    number: 1\n", "server");
        assertThat(err).contains("channels.slack.ratePerSecond must be greater than or equal to 0.001")
                .contains("channels.fax: no channel plug-in named 'fax' on the class path").doesNotContain("\tat ");
    }

    @Test
    void a_node_without_an_admin_token_of_32_characters_does_not_start() throws Exception {
        String err = run("admin:\n  token: short\n", "server");
        assertThat(err).contains("admin.token (environment ADMIN_TOKEN) must be at least 32 characters").doesNotContain("\tat ");
    }

    @Test
    void a_bad_network_in_the_webhook_allow_list_is_named() throws Exception {
        String err = run("webhook:\n  allowNetworks: \"10.0.0.0/8,intranet\"\n", "check");
        assertThat(err).contains("webhook.allowNetworks must be comma-separated networks").doesNotContain("\tat ");
    }
}
