package io.herald.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's parsing, output and exit codes against a fake node; the whole cluster is in CliClusterTest (integration-tests). */
class HeraldCliTest {
    private static final String TOKEN = "token-0123456789abcdef0123456789abcdef";

    @TempDir
    Path home;
    @TempDir
    Path root;

    private FakeNode node;
    private final Map<String, String> env = new HashMap<>();
    private String out;
    private String err;

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode();
        env.put("HERALD_URL", node.url());
        env.put("HERALD_ADMIN_URL", node.url() + "/");
        env.put("HERALD_API_KEY", "hk_key");
        env.put("ADMIN_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = HeraldCli.run(args, env, home, root, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    @ParameterizedTest
    @ValueSource(strings = {"apps", "apps frob", "apps create", "messages get abc", "messages wait 5 --timeout 5x",
        "dead-letters requeue --chunk 0", "dead-letters requeue --nope", "policy set billing", "policy set billing nonsense=1",
        "policy set billing weight", "apps revoke --key a --all-keys-of b", "drain", "messages send --context {bad",
        "suppressions add email", "suppressions remove", "suppressions list --limit many", "messages cancel",
        "messages cancel 5 --cancel-key k", "messages cancel abc", "recipients get", "recipients set", "recipients import crm",
        "recipients import crm --file x.csv --format xml", "recipients import --file x.csv"})
    void bad_arguments_are_one_line_and_exit_2_and_reach_no_node(String args) {
        assertThat(run(args.split(" "))).isEqualTo(2);
        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("herald: ").doesNotContain("Usage:").doesNotContain("Exception");
        assertThat(out).isEmpty();
        assertThat(node.requests).isEmpty();
    }

    @Test
    void missing_credentials_are_a_usage_error_that_says_where_to_put_them() {
        env.remove("ADMIN_TOKEN");
        assertThat(run("cluster")).isEqualTo(2);
        assertThat(err).contains("ADMIN_TOKEN").contains(home.resolve(".config/herald/cli.properties").toString());
        env.remove("HERALD_API_KEY");
        assertThat(run("messages", "get", "5")).isEqualTo(2);
        assertThat(err).contains("HERALD_API_KEY");
        assertThat(node.requests).isEmpty();
    }

    @Test
    void the_config_file_and_the_files_up_writes_fill_in_what_the_environment_lacks() throws Exception {
        env.clear();
        Path file = home.resolve(".config/herald/cli.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "adminUrl=" + node.url() + "\nurl=" + node.url() + "\n");
        Files.createDirectories(root.resolve(".herald/local"));
        Files.writeString(root.resolve(".herald/local/admin-token"), TOKEN + "\n");
        Files.writeString(root.resolve(".herald/local/api-key"), "hk_from_up\n");
        node.answer(200, "dispatch resumed\n").answer(200, "{\"id\":5,\"status\":\"sent\"}");

        assertThat(run("dispatch", "resume")).isEqualTo(0);
        assertThat(run("messages", "get", "5")).isEqualTo(0);

        assertThat(node.requests.get(0).uri()).isEqualTo("/tasks/resume-dispatch");
        assertThat(node.requests.get(0).authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(node.requests.get(1).authorization()).isEqualTo("Bearer hk_from_up");
    }

    @Test
    void an_api_error_is_one_line_with_the_status_and_the_field_and_exit_1() {
        node.answer(400, "{\"code\":400,\"message\":\"must be an absolute http(s) URL\",\"field\":\"target\",\"errors\":[]}");
        assertThat(run("messages", "send", "--channel", "webhook", "--target", "nope", "--body", "b")).isEqualTo(1);
        assertThat(err).isEqualTo("herald: HTTP 400: target: must be an absolute http(s) URL\n");
        assertThat(node.requests.get(0).body()).contains("\"channel\":\"webhook\"").contains("\"target\":\"nope\"");
    }

    @Test
    void a_task_error_is_its_one_line_without_the_prefix_and_exit_1() {
        node.answer(400, "error: no application named 'ghost'\n");
        assertThat(run("apps", "key", "ghost")).isEqualTo(1);
        assertThat(err).isEqualTo("herald: HTTP 400: no application named 'ghost'\n");
    }

    @Test
    void a_node_that_does_not_listen_is_one_line_and_exit_1() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(run("--admin-url", "http://127.0.0.1:" + port, "cluster")).isEqualTo(1);
        assertThat(err).isEqualTo("herald: cannot reach http://127.0.0.1:" + port + " (connection refused); is the node running?\n");
    }

    @Test
    void app_create_prints_a_table_by_default_and_json_with_the_flag() throws Exception {
        node.answer(200, "hk_abc\nwhsec_def\n").answer(200, "hk_abc\nwhsec_def\n");

        assertThat(run("apps", "create", "billing", "--owner-email", "a@example.org")).isEqualTo(0);
        assertThat(out).isEqualTo("FIELD          VALUE\napplication    billing\napiKey         hk_abc\nsigningSecret  whsec_def\n");
        assertThat(node.requests.get(0).uri()).isEqualTo("/tasks/app-create?name=billing&ownerEmail=a%40example.org");

        assertThat(run("apps", "create", "billing", "--json")).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("apiKey").asText()).isEqualTo("hk_abc");
        assertThat(json.get("signingSecret").asText()).isEqualTo("whsec_def");
    }

    @Test
    void a_large_requeue_goes_in_rounds_with_a_progress_line_after_each_full_one() {
        node.answer(200, "{\"requeued\":1000}").answer(200, "{\"requeued\":1000}").answer(200, "{\"requeued\":17}");

        assertThat(run("dead-letters", "requeue", "--older-than", "0s", "--chunk", "1000")).isEqualTo(0);

        // Each round asks for what was already dead when the command started: its age grows with the time gone by.
        List<Long> ages = new ArrayList<>();
        assertThat(node.requests).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).matches("/v1/dead-letters/requeue\\?olderThan=\\d+ms&limit=1000");
            ages.add(Long.parseLong(r.uri().replaceAll(".*olderThan=(\\d+)ms.*", "$1")));
        });
        assertThat(ages).isSorted();
        assertThat(err.lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("requeued "));
        assertThat(err.lines().toList().get(1)).startsWith("requeued 2,000 dead letters so far");
        assertThat(out).isEqualTo("requeued 2017 dead letter(s)\n");
    }

    @Test
    void a_bad_age_is_one_line_and_exit_code_2() {
        assertThat(run("dead-letters", "requeue", "--older-than", "soon")).isEqualTo(2);
        assertThat(err.lines()).singleElement().asString().contains("--older-than must be a duration");
        assertThat(node.requests).isEmpty();
    }

    @Test
    void an_admin_purge_reads_the_tasks_count() {
        node.answer(200, "purged 3 dead letter(s)\n");
        assertThat(run("dead-letters", "purge", "--admin", "--application", "billing", "--id", "4", "--id", "5", "--json")).isEqualTo(0);
        assertThat(node.requests.get(0).uri()).matches("/tasks/dead-letters-purge\\?id=4&id=5&application=billing&olderThan=\\d+ms&limit=5000");
        assertThat(out.replaceAll("\\s", "")).isEqualTo("{\"purged\":3}");
    }

    @Test
    void wait_asks_again_until_the_message_is_final() {
        node.answer(200, "{\"id\":9,\"status\":\"queued\",\"attempts\":0}").answer(200, "{\"id\":9,\"status\":\"dead\",\"attempts\":5,\"error\":\"HTTP 410\"}");
        assertThat(run("messages", "wait", "9", "--timeout", "2m")).isEqualTo(0);
        assertThat(node.requests.get(0).uri()).isEqualTo("/v1/messages/9?wait=60s");
        assertThat(err).startsWith("message 9 is queued; waiting");
        assertThat(out).contains("dead").contains("HTTP 410");
    }

    @Test
    void wait_that_runs_out_prints_the_status_and_exits_1() {
        node.answer(200, "{\"id\":9,\"status\":\"unknown\"}");
        assertThat(run("messages", "wait", "9", "--timeout", "0s")).isEqualTo(1);
        assertThat(node.requests.get(0).uri()).isEqualTo("/v1/messages/9?wait=0s");
        assertThat(out).contains("unknown");
        assertThat(err).isEqualTo("herald: message 9 is still unknown after 0 s\n");
    }

    @Test
    void policy_set_groups_settings_by_task_and_reads_back_values_with_spaces() throws Exception {
        node.answer(200, "application 'billing': weight=3\n")
                .answer(200, "application 'billing': schedule=30s, 5m, 1h\n");

        assertThat(run("policy", "set", "billing", "weight=3", "retry.schedule=30s,5m,1h", "--json")).isEqualTo(0);

        assertThat(node.requests).extracting(FakeNode.Request::uri).containsExactly(
                "/tasks/app-weight?application=billing&weight=3", "/tasks/app-retry-schedule?application=billing&schedule=30s%2C5m%2C1h");
        JsonNode settings = new ObjectMapper().readTree(out).get("settings");
        assertThat(settings.get("weight").asText()).isEqualTo("3");
        assertThat(settings.get("retry.schedule").asText()).isEqualTo("30s, 5m, 1h");
    }

    @Test
    void a_queued_messages_position_is_a_column_with_a_plus_past_the_cap() throws Exception {
        assertThat(MessagesCommand.position(new ObjectMapper().readTree("{\"position\":10000,\"positionAtLeast\":true}"))).isEqualTo("10000+");
        assertThat(MessagesCommand.position(new ObjectMapper().readTree("{\"position\":3,\"positionAtLeast\":false}"))).isEqualTo("3");
        assertThat(MessagesCommand.position(new ObjectMapper().readTree("{\"status\":\"sent\"}"))).isNull();
    }

    @Test
    void policy_set_unknown_outcome_goes_to_its_task() throws Exception {
        node.answer(200, "application 'billing': unknownOutcome=resend\n");

        assertThat(run("policy", "set", "billing", "unknownOutcome=resend", "--json")).isEqualTo(0);

        assertThat(node.requests).extracting(FakeNode.Request::uri)
                .containsExactly("/tasks/app-unknown-outcome?application=billing&unknownOutcome=resend");
        assertThat(new ObjectMapper().readTree(out).get("settings").get("unknownOutcome").asText()).isEqualTo("resend");
    }

    @Test
    void policy_lines_split_where_the_next_known_parameter_begins() {
        assertThat(PolicyCommand.parse("app-quota", "application 'a b': soft=100 hard=default (0) window=default (1h)"))
                .containsExactly(Map.entry("quota.soft", "100"), Map.entry("quota.hard", "default (0)"), Map.entry("quota.window", "default (1h)"));
        assertThat(PolicyCommand.parse("app-fallback", "application 'a': channel=none target=none"))
                .containsEntry("fallback.target", "none");
    }

    @Test
    void tables_align_columns_and_keep_each_row_on_one_line() {
        String text = Table.of("ID", "REASON", "X").row(1, "two\nlines", null).row(12345, "r", "y").render();
        assertThat(text).isEqualTo("ID     REASON     X\n1      two lines  -\n12345  r          y\n");
        assertThat(Table.cell("x".repeat(200))).hasSize(80).endsWith("...");
    }

    @Test
    void topics_subscribe_streams_the_file_and_send_and_fanout_print_the_fan_out() throws Exception {
        Path file = root.resolve("subscribers.jsonl");
        Files.writeString(file, "{\"channel\":\"log\",\"target\":\"a\"}\n{\"channel\":\"log\",\"target\":\"b\"}\n");
        node.answer(200, "{\"topic\":\"news\",\"read\":2,\"added\":2,\"subscribers\":2}")
                .answer(202, "{\"fanoutId\":7,\"state\":\"creating\",\"total\":2,\"duplicate\":false}")
                .answer(200, "{\"id\":7,\"topic\":\"news\",\"state\":\"creating\",\"total\":2,\"created\":0,\"sent\":0,\"suppressed\":0,\"dead\":0}")
                .answer(200, "{\"id\":7,\"topic\":\"news\",\"state\":\"done\",\"total\":2,\"created\":2,\"sent\":2,\"suppressed\":0,\"dead\":0}");

        assertThat(run("topics", "subscribe", "news", "--file", file.toString())).isEqualTo(0);
        assertThat(out).contains("ADDED").contains("2");
        assertThat(run("topics", "send", "news", "--channel", "log", "--body", "hello")).isEqualTo(0);
        assertThat(out).contains("FANOUT").contains("7").contains("creating");
        assertThat(run("topics", "fanout", "7", "--wait", "1m")).isEqualTo(0);
        assertThat(out).contains("done");

        assertThat(node.requests.get(0).uri()).isEqualTo("/v1/topics/news/subscribers");
        assertThat(node.requests.get(0).body()).isEqualTo(Files.readString(file));
        assertThat(node.requests.get(1).body()).contains("\"topic\":\"news\"").contains("\"channel\":\"log\"");
        assertThat(node.requests.get(3).uri()).isEqualTo("/v1/fanouts/7");
    }

    @Test
    void topics_fanout_that_is_not_done_by_the_wait_exits_1_and_a_missing_file_is_a_usage_error() {
        node.answer(200, "{\"id\":7,\"topic\":\"news\",\"state\":\"sending\",\"total\":2,\"created\":2,\"sent\":1}");
        assertThat(run("topics", "fanout", "7", "--wait", "0s")).isEqualTo(1);
        assertThat(err).contains("fan-out 7 is still sending");
        assertThat(run("topics", "subscribe", "news", "--file", root.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(err).contains("missing.jsonl");
    }

    @Test
    void suppressions_are_listed_page_by_page_added_with_an_expiry_and_removed_through_the_api() throws Exception {
        String entry = "{\"channel\":\"email\",\"target\":\"gone@example.org\",\"reason\":\"550 5.1.1\",\"source\":\"smtp\","
                + "\"messageId\":7,\"createdAt\":\"2026-12-03T10:00:00Z\",\"expiresAt\":null,\"expired\":false}";
        node.answer(200, "{\"entries\":[" + entry + "],\"next\":\"c2\"}").answer(200, "{\"entries\":[" + entry + "],\"next\":null}")
                .answer(200, entry.replace("\"expiresAt\":null", "\"expiresAt\":\"2027-01-01T00:00:00Z\"").replace("smtp", "api"))
                .answer(200, "{\"removed\":true}");

        assertThat(run("suppressions", "list", "--channel", "email", "--limit", "1", "--all")).isEqualTo(0);
        assertThat(out).contains("CHANNEL", "gone@example.org", "smtp", "550 5.1.1").doesNotContain("more:");
        assertThat(run("suppressions", "add", "email", "gone@example.org", "--reason", "asked", "--expires-at", "2027-01-01T00:00:00Z")).isEqualTo(0);
        assertThat(out).isEqualTo("suppressed email gone@example.org until 2027-01-01T00:00:00Z\n");
        assertThat(run("suppressions", "remove", "email", "gone@example.org")).isEqualTo(0);
        assertThat(out).isEqualTo("removed email gone@example.org from the suppression list\n");

        assertThat(node.requests).extracting(r -> r.method() + " " + r.uri()).containsExactly(
                "GET /v1/suppressions?channel=email&limit=1", "GET /v1/suppressions?channel=email&limit=1&cursor=c2",
                "POST /v1/suppressions", "DELETE /v1/suppressions?channel=email&target=gone%40example.org");
        assertThat(node.requests.get(2).body()).isEqualTo(
                "{\"channel\":\"email\",\"target\":\"gone@example.org\",\"reason\":\"asked\",\"expiresAt\":\"2027-01-01T00:00:00Z\"}");
        assertThat(node.requests).allMatch(r -> r.authorization().equals("Bearer hk_key"));
    }

    @Test
    void topics_fanout_cancel_deletes_the_fan_out_and_prints_the_counts_and_a_wait_ends_at_cancelled() throws Exception {
        node.answer(200, "{\"id\":7,\"state\":\"cancelled\",\"created\":1000,\"cancelled\":940,\"notCancelled\":60}")
                .answer(200, "{\"id\":7,\"topic\":\"news\",\"state\":\"cancelled\",\"total\":1000,\"created\":1000,\"sent\":60}");

        assertThat(run("topics", "fanout-cancel", "7")).isEqualTo(0);
        assertThat(out).contains("NOT CANCELLED").contains("cancelled").contains("940").contains("60");
        assertThat(node.requests.get(0).method()).isEqualTo("DELETE");
        assertThat(node.requests.get(0).uri()).isEqualTo("/v1/fanouts/7");

        assertThat(run("topics", "fanout", "7", "--wait", "1m")).isEqualTo(1);
        assertThat(err).contains("fan-out 7 was cancelled");
        assertThat(node.requests).hasSize(2);
    }

    @Test
    void messages_send_passes_the_schedule_cancel_key_and_audience_fields() throws Exception {
        node.answer(202, "{\"id\":18,\"status\":\"scheduled\",\"duplicate\":false}").answer(202, "{\"id\":19,\"status\":\"queued\",\"duplicate\":false}");

        assertThat(run("messages", "send", "--channel", "email", "--target", "ana@example.org", "--body", "b", "--send-at", "2026-12-24T08:00:00+01:00",
                "--cancel-key", "trial-ana", "--category", "marketing", "--critical", "--recipient", "user-7")).isEqualTo(0);
        assertThat(out).isEqualTo("ID  STATUS     DUPLICATE\n18  scheduled  false\n");
        assertThat(run("messages", "send", "--channel", "log", "--target", "t", "--body", "b")).isEqualTo(0);

        JsonNode body = new ObjectMapper().readTree(node.requests.get(0).body());
        assertThat(body.get("sendAt").asText()).isEqualTo("2026-12-24T08:00:00+01:00");
        assertThat(body.get("cancelKey").asText()).isEqualTo("trial-ana");
        assertThat(body.get("category").asText()).isEqualTo("marketing");
        assertThat(body.get("recipient").asText()).isEqualTo("user-7");
        assertThat(body.get("critical").asBoolean()).isTrue();
        assertThat(new ObjectMapper().readTree(node.requests.get(1).body()).fieldNames()).toIterable().containsExactlyInAnyOrder("channel", "target", "body");
    }

    @Test
    void messages_cancel_deletes_one_message_or_every_one_with_a_cancel_key_and_a_409_is_one_line_and_exit_1() {
        node.answer(200, "{\"id\":18,\"status\":\"cancelled\"}")
                .answer(409, "{\"code\":409,\"message\":\"message 17 is sent; only a queued or scheduled message can be cancelled\",\"field\":\"id\",\"errors\":[]}")
                .answer(200, "{\"cancelled\":3}");

        assertThat(run("messages", "cancel", "18")).isEqualTo(0);
        assertThat(out).isEqualTo("ID  STATUS\n18  cancelled\n");
        assertThat(run("messages", "cancel", "17")).isEqualTo(1);
        assertThat(err).isEqualTo("herald: HTTP 409: id: message 17 is sent; only a queued or scheduled message can be cancelled\n");
        assertThat(out).isEmpty();
        assertThat(run("messages", "cancel", "--cancel-key", "trial reminders/ana")).isEqualTo(0);
        assertThat(out).isEqualTo("cancelled 3 message(s) with cancelKey trial reminders/ana\n");

        assertThat(node.requests).extracting(r -> r.method() + " " + r.uri()).containsExactly(
                "DELETE /v1/messages/18", "DELETE /v1/messages/17", "DELETE /v1/messages?cancelKey=trial+reminders%2Fana");
        assertThat(node.requests).allMatch(r -> r.body().isEmpty() && r.authorization().equals("Bearer hk_key"));
    }

    @Test
    void recipients_get_and_set_read_and_replace_one_recipients_opt_outs() throws Exception {
        node.answer(200, "{\"recipient\":\"ana@example.org\",\"optOut\":{\"all\":false,\"channels\":[],\"categories\":[]}}")
                .answer(200, "{\"recipient\":\"user-7\",\"optOut\":{\"all\":false,\"channels\":[\"email\"],\"categories\":[\"digest\",\"marketing\"]}}")
                .answer(200, "{\"recipient\":\"user-7\",\"optOut\":{\"all\":true,\"channels\":[],\"categories\":[]}}");

        assertThat(run("recipients", "get", "ana@example.org")).isEqualTo(0);
        assertThat(out).isEqualTo("RECIPIENT        ALL    CHANNELS  CATEGORIES\nana@example.org  false  -         -\n");
        assertThat(run("recipients", "set", "user-7", "--channel", "email", "--category", "marketing", "--category", "digest")).isEqualTo(0);
        assertThat(out).contains("email").contains("digest,marketing");
        assertThat(run("recipients", "set", "user-7", "--all", "--json")).isEqualTo(0);
        assertThat(new ObjectMapper().readTree(out).get("optOut").get("all").asBoolean()).isTrue();

        assertThat(node.requests).extracting(r -> r.method() + " " + r.uri()).containsExactly(
                "GET /v1/recipients/preferences?recipient=ana%40example.org", "PUT /v1/recipients/preferences?recipient=user-7",
                "PUT /v1/recipients/preferences?recipient=user-7");
        assertThat(node.requests.get(1).body()).isEqualTo("{\"optOut\":{\"all\":false,\"channels\":[\"email\"],\"categories\":[\"marketing\",\"digest\"]}}");
        assertThat(node.requests.get(1).contentType()).isEqualTo("application/json");
        assertThat(node.requests.get(2).body()).isEqualTo("{\"optOut\":{\"all\":true,\"channels\":[],\"categories\":[]}}");
    }

    @Test
    void recipients_import_streams_the_file_with_its_format_and_prints_the_import() throws Exception {
        Path jsonl = root.resolve("opt-outs.jsonl");
        Files.writeString(jsonl, "{\"recipient\":\"user-8\",\"optOut\":{\"all\":true}}\n");
        Path csv = root.resolve("opt-outs.csv");
        Files.writeString(csv, "recipient,all,channels,categories\nuser-8,true,,\n");
        String done = "{\"id\":\"crm\",\"state\":\"done\",\"recipients\":1,\"error\":null,\"startedAt\":\"2026-12-03T10:00:00Z\",\"updatedAt\":\"2026-12-03T10:00:01Z\"}";
        node.answer(200, done).answer(200, done).answer(200, done)
                .answer(400, "{\"code\":400,\"message\":\"unknown channel 'sms'; one of email, webhook, log\",\"field\":\"line 2.optOut.channels[0]\",\"errors\":[]}");

        assertThat(run("recipients", "import", "crm", "--file", jsonl.toString())).isEqualTo(0);
        assertThat(out).isEqualTo("ID   STATE  RECIPIENTS  UPDATED               ERROR\ncrm  done   1           2026-12-03T10:00:01Z  -\n");
        assertThat(err).isEmpty();
        assertThat(run("recipients", "import", "crm", "--file", csv.toString())).isEqualTo(0);
        assertThat(run("recipients", "import-progress", "crm")).isEqualTo(0);
        assertThat(out).contains("done");
        assertThat(run("recipients", "import", "crm", "--file", csv.toString(), "--format", "jsonl")).isEqualTo(1);
        assertThat(err).isEqualTo("herald: HTTP 400: line 2.optOut.channels[0]: unknown channel 'sms'; one of email, webhook, log\n");

        assertThat(node.requests).extracting(r -> r.method() + " " + r.uri() + " " + r.contentType()).containsExactly(
                "POST /v1/recipients/imports/crm application/x-ndjson", "POST /v1/recipients/imports/crm text/csv",
                "GET /v1/recipients/imports/crm null", "POST /v1/recipients/imports/crm application/x-ndjson");
        assertThat(node.requests.get(0).body()).isEqualTo(Files.readString(jsonl));
        assertThat(node.requests.get(1).body()).isEqualTo(Files.readString(csv));
        assertThat(run("recipients", "import", "crm", "--file", root.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(err).contains("missing.csv");
        assertThat(node.requests).hasSize(4);
    }
}
