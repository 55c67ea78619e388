package io.herald.worker.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.Response;

/**
 * Reads an answer's body and throws it away, keeping its first KiB for the error text. A body larger
 * than {@code maxBytes} aborts the exchange: a receiver that floods cannot hold a request for longer
 * than the request timeout, nor cost more than a bounded read.
 */
final class BoundedAnswer implements Response.ContentListener {
    static final int KEPT_BYTES = 1_024;

    private final int maxBytes;
    private final byte[] kept = new byte[KEPT_BYTES];
    private int keptLength;
    private long read;

    BoundedAnswer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        int length = content.remaining();
        read += length;
        int keep = Math.min(length, KEPT_BYTES - keptLength);
        if (keep > 0) {
            content.get(kept, keptLength, keep);
            keptLength += keep;
        }
        if (read > maxBytes) {
            response.abort(new AnswerTooLargeException(maxBytes));
        }
    }

    /** The first KiB of the body, as text with control characters replaced. */
    String excerpt() {
        return new String(kept, 0, keptLength, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").trim();
    }

    static final class AnswerTooLargeException extends Exception {
        AnswerTooLargeException(int maxBytes) {
            super("the answer's body is over " + maxBytes + " bytes", null, false, false);
        }
    }
}
