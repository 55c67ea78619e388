package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.client.ApiClient;
import io.herald.client.ApiException;
import io.herald.client.api.MessagesApi;
import io.herald.client.model.Channel;
import io.herald.client.model.Message;
import io.herald.client.model.NewMessage;
import io.herald.client.model.Priority;
import io.herald.client.model.Status;
import io.herald.client.model.Accepted;
import io.herald.common.config.HeraldConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client generated from docs/openapi.yaml at build time (openapi-generator, {@code native}:
 * java.net.http and Jackson) talks to a running cluster: what the description promises, a client
 * built from it alone gets.
 */
class GeneratedClientTest {
    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static MessagesApi messages;

    @BeforeAll
    static void startCluster() throws Exception {
        ClusterHarness cluster = HERALD.cluster();
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("client-master");
        cluster.startWorker("client-worker");
        String key = cluster.createApplication(master, "generated").apiKey();
        ApiClient client = new ApiClient();
        client.updateBaseUri(ClusterHarness.api(master));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        messages = new MessagesApi(client);
    }

    @Test
    void a_message_submitted_through_the_generated_client_is_read_back_through_it_once_sent() throws Exception {
        Accepted submitted = messages.submitMessage(new NewMessage()
                .channel(Channel.LOG).target("ops").body("from the generated client").priority(Priority.HIGH).idempotencyKey("generated-1"));
        assertThat(submitted.getStatus()).isEqualTo(Status.QUEUED);
        assertThat(submitted.getDuplicate()).isFalse();

        Message sent = messages.getMessage(Long.toString(submitted.getId()), "30s");

        assertThat(sent.getId()).isEqualTo(submitted.getId());
        assertThat(sent.getStatus()).isEqualTo(Status.SENT);
        assertThat(sent.getAttempts()).isEqualTo(1);
        assertThat(sent.getSentAt()).isAfterOrEqualTo(sent.getCreatedAt());
        assertThat(messages.getMessageEvents(Long.toString(submitted.getId())).getEvents()).last()
                .satisfies(event -> assertThat(event.getStatus()).isEqualTo(Status.SENT));
    }

    @Test
    void an_error_reaches_the_generated_client_as_its_status_and_the_described_error_body() throws Exception {
        ApiException missing = catchThrowableOfType(ApiException.class, () -> messages.getMessage("999999999", null));

        assertThat(missing.getCode()).isEqualTo(404);
        io.herald.client.model.ErrorResponse error = new ObjectMapper().readValue(missing.getResponseBody(), io.herald.client.model.ErrorResponse.class);
        assertThat(error.getField()).isEqualTo("id");
        assertThat(error.getErrors()).singleElement().satisfies(e -> assertThat(e.getField()).isEqualTo("id"));
    }
}
