package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Recipients' preferences through the API of a real master, applied by its claim, with a worker sending. */
class PreferencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = HERALD.cluster();
        api = ClusterHarness.api(cluster.startMasterAndWorker("preferences", "newsroom"));
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return cluster.send(HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static long submit(String extra) throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages",
                "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"news\"" + extra + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static String finalStatus(long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id + "?wait=30s").body()).get("status").asText();
    }

    @Test
    void an_opt_out_set_through_the_api_stops_later_messages_but_not_critical_ones() throws Exception {
        HttpResponse<String> set = put("/v1/recipients/preferences?recipient=user-7", "{\"optOut\":{\"categories\":[\"digest\"]}}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode read = JSON.readTree(cluster.get(api + "/v1/recipients/preferences?recipient=user-7").body());
        assertThat(read.get("optOut").get("categories").get(0).asText()).isEqualTo("digest");
        assertThat(read.get("optOut").get("all").asBoolean()).isFalse();

        long optedOut = submit(",\"recipient\":\"user-7\",\"category\":\"digest\"");
        long critical = submit(",\"recipient\":\"user-7\",\"category\":\"digest\",\"critical\":true");
        long otherCategory = submit(",\"recipient\":\"user-7\",\"category\":\"security\"");

        assertThat(finalStatus(optedOut)).isEqualTo("opted_out");
        assertThat(finalStatus(critical)).isEqualTo("sent");
        assertThat(finalStatus(otherCategory)).isEqualTo("sent");
    }

    @Test
    void an_import_of_json_lines_is_stored_and_its_progress_readable() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1_200; i++) {
            lines.append("{\"recipient\":\"reader-").append(i).append("\",\"optOut\":{\"all\":true}}\n");
        }
        HttpResponse<String> imported = cluster.post(api + "/v1/recipients/imports/readers-2026", lines.toString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(JSON.readTree(imported.body()).get("recipients").asLong()).isEqualTo(1_200);
        JsonNode progress = JSON.readTree(cluster.get(api + "/v1/recipients/imports/readers-2026").body());
        assertThat(progress.get("state").asText()).isEqualTo("done");

        HttpResponse<String> bad = cluster.post(api + "/v1/recipients/imports/readers-bad", "{\"recipient\":\"r\",\"optOut\":{\"all\":1}}\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("line 1.optOut.all");
        assertThat(cluster.get(api + "/v1/recipients/imports/nothing-here").statusCode()).isEqualTo(404);

        long toReader = submit(",\"recipient\":\"reader-1199\"");
        assertThat(finalStatus(toReader)).isEqualTo("opted_out");
    }
}
