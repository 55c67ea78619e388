package io.herald.common.channel.builtin;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code channels.sms:} in config.yml: a Twilio-compatible Messages API account. No accountSid: the channel is off. */
public class SmsSettings extends PacedSettings {
    /** Where the API lives; the path /2010-04-01/Accounts/{accountSid}/Messages.json is added. */
    @NotNull @Pattern(regexp = "https?://[^/?#\\s]+(/[^?#\\s]*)?", message = "must be an http(s) URL without query")
    @JsonProperty
    public String baseUrl = "https://api.twilio.com";

    /** The account's SID (Twilio's start with AC). Empty: the sms channel is not available. */
    @NotNull @Pattern(regexp = "[A-Za-z0-9]{0,64}", message = "must be at most 64 letters and digits")
    @JsonProperty
    public String accountSid = "";

    @NotNull @JsonProperty public String authToken = "";

    /** The sending number, E.164 (+15551234567). */
    @NotNull @JsonProperty public String from = "";

    /** Longest body sent, in characters; longer is a permanent failure (Twilio refuses over 1600). */
    @Min(1) @Max(1_600) @JsonProperty public int maxBodyChars = 1_600;

    /** Messages per second from the sending number, by all the workers together; 0: no pace (the provider queues). */
    @DecimalMin("0") @DecimalMax("1000") @JsonProperty public double ratePerSecond = 0;

    boolean configured() {
        return !accountSid.isEmpty();
    }

    /** The account's Messages API: {@link #baseUrl}, without a trailing slash, and the account's path. */
    String messagesUrl() {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    }

    /** The account's HTTP basic credentials, as an Authorization header's value. */
    String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    }
}
