package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import io.herald.common.model.EmailAddress;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * One-click unsubscribe (RFC 8058; README, "Unsubscribe links"). Workers put a link signed with {@code key}
 * into every email; masters verify it when the recipient follows it. Every node of a cluster needs the
 * same key; a node refuses to start without one of at least {@value #MIN_KEY_CHARS} characters.
 */
public class UnsubscribeConfig {
    public static final int MIN_KEY_CHARS = 32;

    /** The HMAC-SHA256 key that signs links; changing it invalidates every link already sent. */
    @NotNull @JsonProperty public String key = "";

    /**
     * Where recipients reach the masters' API port, as mail clients will: links are {@code <baseUrl>/v1/unsubscribe/<token>}.
     * HTTPS in production (Gmail and Yahoo ignore other links); http is accepted for a local cluster.
     */
    @NotNull @JsonProperty public String baseUrl = "http://127.0.0.1:8080";

    /** An address that receives unsubscribe requests by mail, added as a second {@code List-Unsubscribe} entry; empty for none. */
    @NotNull @JsonProperty public String mailto = "";

    @ValidationMethod(message = "unsubscribe.baseUrl must be an absolute http or https URL without query or fragment,"
            + " such as https://herald.example.com")
    public boolean isBaseUrlValid() {
        if (baseUrl == null) {
            return true; // @NotNull says so
        }
        try {
            URI uri = new URI(baseUrl);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @ValidationMethod(message = "unsubscribe.mailto must be empty or one email address")
    public boolean isMailtoValid() {
        return mailto == null || mailto.isEmpty() || EmailAddress.problem(mailto, false).isEmpty();
    }

    /** The base URL without a trailing slash. */
    public String base() {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Refuses to start a node whose key is missing or too short to be a secret. */
    public void requireKey() {
        if (key.length() < MIN_KEY_CHARS) {
            throw new IllegalArgumentException("unsubscribe.key (environment UNSUBSCRIBE_KEY) must be at least " + MIN_KEY_CHARS
                    + " characters; it signs the unsubscribe links in emails (make one with: openssl rand -hex 32)");
        }
    }
}
