package io.herald.common.channel;

import java.time.Duration;

/**
 * A provider's whole HTTP answer, as {@link HttpPoster} hands it to a channel's {@link Judge}.
 *
 * @param retryAfter the answer's {@code Retry-After}, read and capped; null when absent or unreadable
 * @param excerpt the first KiB of the body, control characters replaced
 */
public record HttpAnswer(int status, Duration retryAfter, String excerpt) {
    /** How a channel classifies its provider's answers. Failures without an answer are {@link HttpPoster}'s to classify. */
    @FunctionalInterface
    public interface Judge {
        SendResult judge(HttpAnswer answer);

        /**
         * This judge, except that a 410 Gone it finds permanent also says the target is gone for good, so the
         * worker puts it on the application's suppression list in the outcome's transaction.
         */
        default Judge goneSuppresses() {
            return answer -> {
                SendResult result = judge(answer);
                return answer.status() == GONE && result instanceof SendResult.Permanent permanent
                        ? new SendResult.Permanent(permanent.error(), true) : result;
            };
        }
    }

    /** HTTP 410 Gone: the target says it will never take a message again. */
    public static final int GONE = 410;

    /**
     * The rule most providers fit (Slack's and Twilio's among them): 2xx is sent; 429 is transient,
     * honouring Retry-After; 408 and 5xx are transient; any other status is permanent.
     *
     * @param provider names the provider in the error text ("webhook", "Slack", "Twilio")
     */
    public static Judge usual(String provider) {
        return answer -> {
            int status = answer.status();
            if (status >= 200 && status < 300) {
                return SendResult.SENT;
            }
            String error = provider + " answered HTTP " + status + (answer.excerpt().isEmpty() ? "" : ": " + answer.excerpt());
            if (status == 429) {
                return new SendResult.Transient(error, answer.retryAfter(), SendResult.Cause.TOO_MANY_REQUESTS, false);
            }
            if (status == 408 || status >= 500) {
                return new SendResult.Transient(error, null, SendResult.Cause.SERVER_ERROR, false);
            }
            return new SendResult.Permanent(error);
        };
    }
}
