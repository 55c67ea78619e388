package io.herald.worker.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.worker.core.SendResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSenderTest {
    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z"); // a Monday

    @Nested
    class RetryAfter {
        @Test
        void reads_delta_seconds() {
            assertThat(WebhookSender.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        }

        @Test
        void reads_delta_seconds_with_surrounding_spaces() {
            assertThat(WebhookSender.retryAfter(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
        }

        @Test
        void reads_zero_seconds() {
            assertThat(WebhookSender.retryAfter("0", NOW)).isEqualTo(Duration.ZERO);
        }

        @Test
        void clamps_negative_seconds_to_zero() {
            assertThat(WebhookSender.retryAfter("-5", NOW)).isEqualTo(Duration.ZERO);
        }

        @Test
        void reads_an_http_date_in_the_future_as_the_time_until_then() {
            assertThat(WebhookSender.retryAfter("Mon, 01 Jan 2024 00:02:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(150));
        }

        @Test
        void reads_an_http_date_a_day_ahead() {
            assertThat(WebhookSender.retryAfter("Tue, 02 Jan 2024 00:00:00 GMT", NOW)).isEqualTo(Duration.ofDays(1));
        }

        @Test
        void reads_an_http_date_in_the_past_as_zero() {
            assertThat(WebhookSender.retryAfter("Sun, 31 Dec 2023 23:59:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        }

        @Test
        void reads_an_http_date_equal_to_now_as_zero() {
            assertThat(WebhookSender.retryAfter("Mon, 01 Jan 2024 00:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"soon", "7s", "1.5", "2024-01-01T00:02:00Z", "Mon, 32 Jan 2024 00:00:00 GMT", "99999999999999999999"})
        void returns_null_for_garbage(String value) {
            assertThat(WebhookSender.retryAfter(value, NOW)).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void returns_null_for_a_blank_value(String value) {
            assertThat(WebhookSender.retryAfter(value, NOW)).isNull();
        }

        @Test
        void returns_null_for_null() {
            assertThat(WebhookSender.retryAfter(null, NOW)).isNull();
        }
    }

    @Nested
    class Classify {
        @ParameterizedTest
        @ValueSource(ints = {200, 201, 202, 204, 299})
        void treats_2xx_as_sent(int status) {
            assertThat(WebhookSender.classify(response(status))).isInstanceOf(SendResult.Sent.class);
        }

        @Test
        void treats_429_as_transient_and_honours_retry_after() {
            SendResult result = WebhookSender.classify(response(429, Map.of("Retry-After", List.of("7"))));

            assertThat(result).isInstanceOf(SendResult.Transient.class);
            SendResult.Transient t = (SendResult.Transient) result;
            assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(t.error()).contains("429");
        }

        @Test
        void reads_retry_after_whatever_its_header_case() {
            SendResult result = WebhookSender.classify(response(429, Map.of("retry-after", List.of("12"))));

            assertThat(result).isInstanceOf(SendResult.Transient.class);
            assertThat(((SendResult.Transient) result).retryAfter()).isEqualTo(Duration.ofSeconds(12));
        }

        @Test
        void treats_429_without_retry_after_as_transient_with_no_wait() {
            SendResult result = WebhookSender.classify(response(429));

            assertThat(result).isInstanceOf(SendResult.Transient.class);
            assertThat(((SendResult.Transient) result).retryAfter()).isNull();
        }

        @Test
        void treats_429_with_an_unreadable_retry_after_as_transient_with_no_wait() {
            SendResult result = WebhookSender.classify(response(429, Map.of("Retry-After", List.of("later"))));

            assertThat(result).isInstanceOf(SendResult.Transient.class);
            assertThat(((SendResult.Transient) result).retryAfter()).isNull();
        }

        @ParameterizedTest
        @ValueSource(ints = {500, 502, 503, 504, 599})
        void treats_5xx_as_transient(int status) {
            SendResult result = WebhookSender.classify(response(status));

            assertThat(result).isInstanceOf(SendResult.Transient.class);
            assertThat(((SendResult.Transient) result).error()).contains(Integer.toString(status));
        }

        @Test
        void ignores_retry_after_on_a_503() {
            SendResult result = WebhookSender.classify(response(503, Map.of("Retry-After", List.of("7"))));

            assertThat(result).isInstanceOf(SendResult.Transient.class);
        }

        @Test
        void treats_408_as_transient() {
            assertThat(WebhookSender.classify(response(408))).isInstanceOf(SendResult.Transient.class);
        }

        @ParameterizedTest
        @ValueSource(ints = {400, 401, 403, 404, 405, 410, 413, 422})
        void treats_other_4xx_as_permanent(int status) {
            SendResult result = WebhookSender.classify(response(status));

            assertThat(result).isInstanceOf(SendResult.Permanent.class);
            assertThat(((SendResult.Permanent) result).error()).contains(Integer.toString(status));
        }

        @ParameterizedTest
        @ValueSource(ints = {301, 302, 304, 307, 308})
        void treats_a_redirect_as_permanent(int status) {
            assertThat(WebhookSender.classify(response(status))).isInstanceOf(SendResult.Permanent.class);
        }
    }

    // ---- a minimal HttpResponse ---------------------------------------------------------------

    private static HttpResponse<Void> response(int status) {
        return response(status, Map.of());
    }

    private static HttpResponse<Void> response(int status, Map<String, List<String>> headers) {
        return new StubResponse(status, HttpHeaders.of(headers, (name, value) -> true));
    }

    private record StubResponse(int statusCode, HttpHeaders headers) implements HttpResponse<Void> {
        private static final URI URI_ = URI.create("https://example.com/hook");

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI_).build();
        }

        @Override
        public Optional<HttpResponse<Void>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Void body() {
            return null;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI_;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
