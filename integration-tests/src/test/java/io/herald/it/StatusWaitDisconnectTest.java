package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A status wait whose client closes its connection gives its slot back at once, not when its wait
 * (60 s here) runs out: over plain HTTP/1.1 sockets, with an application capped at two waiters. No
 * worker runs, so the message stays queued and only the disconnect can end a wait early.
 */
class StatusWaitDisconnectTest {
    /** Far longer than any of the test's awaits: a slot freed within them was not freed by the timeout. */
    private static final String LONG_WAIT = "60s";
    private static final Duration WELL_BEFORE_THE_WAIT_ENDS = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static String key;
    private static long id;

    @BeforeAll
    static void startMaster() throws Exception {
        ClusterHarness cluster = HERALD.cluster().set("api.maxStatusWaitersPerApplication", "2");
        master = cluster.startMaster("disconnect-master");
        key = cluster.useApplication(master, "leaver").apiKey();
        HttpResponse<String> submitted = cluster.post(ClusterHarness.api(master) + "/v1/messages",
                "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"never sent: no worker\"}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        id = JSON.readTree(submitted.body()).get("id").asLong();
    }

    private static int waiting() {
        return ((Number) master.getEnvironment().metrics().getGauges().get("herald.master.status_waiters").getValue()).intValue();
    }

    private static Socket openWait(String wait) throws IOException {
        Socket socket = new Socket("127.0.0.1", master.getLocalPort());
        socket.getOutputStream().write(request(wait).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String request(String wait) {
        return "GET /v1/messages/" + id + (wait == null ? "" : "?wait=" + wait) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + key + "\r\n\r\n";
    }

    /** The status line and headers of the next answer on {@code in}, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void a_closed_socket_frees_its_slot_at_once_and_a_new_waiter_is_admitted_at_the_cap() throws Exception {
        try (Socket first = openWait(LONG_WAIT); Socket second = openWait(LONG_WAIT)) {
            await().atMost(WELL_BEFORE_THE_WAIT_ENDS).until(() -> waiting() == 2);
            try (Socket third = openWait(LONG_WAIT)) {
                assertThat(readHead(third.getInputStream())).startsWith("HTTP/1.1 429");
            }

            first.close();
            await().atMost(WELL_BEFORE_THE_WAIT_ENDS).until(() -> waiting() == 1);

            try (Socket replacement = openWait(LONG_WAIT)) {
                await().atMost(WELL_BEFORE_THE_WAIT_ENDS).until(() -> waiting() == 2);
                assertThat(replacement.getInputStream().available()).as("admitted, so still waiting").isZero();
                second.close();
                replacement.close();
                await().atMost(WELL_BEFORE_THE_WAIT_ENDS).until(() -> waiting() == 0);
            }
        }
    }

    @Test
    void a_request_pipelined_behind_a_wait_is_answered_after_it_on_the_same_connection() throws Exception {
        try (Socket socket = openWait("2s")) {
            await().atMost(WELL_BEFORE_THE_WAIT_ENDS).until(() -> waiting() == 1);
            // The watch reads the first byte of this request while the wait runs; it must reach Jetty's parser.
            socket.getOutputStream().write(request(null).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String waited = readHead(socket.getInputStream());
            assertThat(waited).startsWith("HTTP/1.1 200");
            socket.getInputStream().readNBytes(contentLength(waited));
            assertThat(waiting()).isZero();
            String pipelined = readHead(socket.getInputStream());
            assertThat(pipelined).startsWith("HTTP/1.1 200");
            String body = new String(socket.getInputStream().readNBytes(contentLength(pipelined)), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(body).get("id").asLong()).isEqualTo(id);
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }
}
