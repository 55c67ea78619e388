package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-click unsubscribe (RFC 8058) end to end: the link in a mail GreenMail received, followed with GET (which
 * changes nothing) and POST without an API key (which opts the recipient out of the mail's category), and the
 * next message of that category to that recipient is not sent.
 */
class UnsubscribeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("<(http[^>]+)>");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = HERALD.cluster().set("smtp.port", String.valueOf(SMTP.getSmtp().getPort())).set("smtp.from", "herald@example.org")
                .set("unsubscribe.mailto", "unsubscribe@example.org");
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("unsubscribe-master");
        api = ClusterHarness.api(master);
        cluster.useApplication(master, "newsletters");
        // The worker writes links to where recipients reach the masters: this master's random port.
        cluster.set("unsubscribe.baseUrl", api).startWorker("unsubscribe-worker");
    }

    private static long email(String to, String extra) throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages",
                "{\"channel\":\"email\",\"target\":\"" + to + "\",\"subject\":\"news\",\"body\":\"hello\"" + extra + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static JsonNode finalState(long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id + "?wait=30s").body());
    }

    private static MimeMessage received(long id) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Mails.forMessage(SMTP, id), l -> !l.isEmpty()).get(0);
    }

    private static String link(MimeMessage mail) {
        Matcher m = LINK.matcher(Mails.header(mail, "List-Unsubscribe"));
        assertThat(m.find()).as(Mails.header(mail, "List-Unsubscribe")).isTrue();
        return m.group(1);
    }

    /** Without an API key, as a mail client or a recipient's browser sends it. */
    private static HttpResponse<String> anonymous(String method, String url, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept);
        request = method.equals("POST")
                ? request.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                : request.GET();
        return cluster.sendRaw(request.build());
    }

    @Test
    void the_link_in_a_received_mail_opts_its_recipient_out_of_its_category_with_one_post() throws Exception {
        long first = email("reader@example.org", ",\"category\":\"weekly\"");
        MimeMessage mail = received(first);
        assertThat(Mails.header(mail, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(Mails.header(mail, "List-Unsubscribe")).contains("<mailto:unsubscribe@example.org?subject=unsubscribe>");
        String url = link(mail);
        assertThat(url).startsWith(api + "/v1/unsubscribe/");

        HttpResponse<String> page = anonymous("GET", url, "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\">", "weekly", "reader@example.org");
        // A scanner that follows the link unsubscribes no one.
        assertThat(finalState(email("reader@example.org", ",\"category\":\"weekly\"")).get("status").asText()).isEqualTo("sent");

        HttpResponse<String> posted = anonymous("POST", url, "application/json");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(JSON.readTree(posted.body()).get("category").asText()).isEqualTo("weekly");
        assertThat(anonymous("POST", url, "text/html").statusCode()).isEqualTo(200); // again: idempotent

        JsonNode next = finalState(email("reader@example.org", ",\"category\":\"weekly\""));
        assertThat(next.get("status").asText()).isEqualTo("opted_out");
        assertThat(next.get("error").asText()).contains("opted out", "category 'weekly'");
        assertThat(finalState(email("reader@example.org", ",\"category\":\"billing\"")).get("status").asText()).isEqualTo("sent");
        assertThat(finalState(email("other@example.org", ",\"category\":\"weekly\"")).get("status").asText()).isEqualTo("sent");
    }

    @Test
    void a_mail_without_a_category_unsubscribes_its_recipient_from_everything() throws Exception {
        long first = email("leaver@example.org", ",\"recipient\":\"user-leaver\"");
        String url = link(received(first));

        assertThat(anonymous("POST", url, "application/json").statusCode()).isEqualTo(200);

        JsonNode next = finalState(email("leaver@example.org", ",\"recipient\":\"user-leaver\",\"category\":\"anything\""));
        assertThat(next.get("status").asText()).isEqualTo("opted_out");
        assertThat(next.get("error").asText()).contains("all messages");
        JsonNode preferences = JSON.readTree(cluster.get(api + "/v1/recipients/preferences?recipient=user-leaver").body());
        assertThat(preferences.get("optOut").get("all").asBoolean()).isTrue();
    }

    @Test
    void a_link_changed_in_any_way_or_too_long_is_refused_and_records_nothing() throws Exception {
        String url = link(received(email("tamper@example.org", ",\"category\":\"weekly\"")));
        String token = url.substring(url.lastIndexOf('/') + 1);
        String payload = token.substring(0, token.indexOf('.'));
        String forged = api + "/v1/unsubscribe/" + payload.substring(0, payload.length() - 2)
                + (payload.endsWith("AA") ? "AB" : "AA") + token.substring(token.indexOf('.'));

        for (String bad : List.of(forged, url + "x", api + "/v1/unsubscribe/" + "A".repeat(3000) + ".AAAA", api + "/v1/unsubscribe/nodot")) {
            HttpResponse<String> json = anonymous("POST", bad, "application/json");
            assertThat(json.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(json.body()).get("field").asText()).isEqualTo("token");
            HttpResponse<String> page = anonymous("GET", bad, "text/html");
            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("not valid");
        }
        assertThat(finalState(email("tamper@example.org", ",\"category\":\"weekly\"")).get("status").asText()).isEqualTo("sent");
    }
}
