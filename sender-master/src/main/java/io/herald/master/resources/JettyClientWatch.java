package io.herald.master.resources;

import io.herald.master.core.ClientWatch;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices that the client of a suspended request has gone. Jetty reports a failure to a request's
 * failure listeners (an HTTP/2 reset, an idle timeout), but an HTTP/1.1 connection is not read while
 * its request is handled, so a client that closes its socket goes unseen until something is written.
 * For HTTP/1.x this watch therefore asks the connection's endpoint to tell it when the socket is
 * readable: for a GET whose request is complete, what can arrive is the end of the stream (the client
 * closed, or half-closed: either way it reads no answer) or the start of a pipelined request, whose
 * bytes are handed back to the connection unread by anyone else. The read interest is withdrawn
 * before the request is answered, because Jetty aborts a connection that still has a pending read
 * when its response completes.
 */
final class JettyClientWatch implements ClientWatch, Callback {
    private enum State { LATENT, WATCHING, STOPPED, GONE }

    private final Request request;
    /** The HTTP/1.x endpoint to read, or null where only failure listeners can tell (HTTP/2). */
    private final AbstractEndPoint endPoint;
    private State state = State.LATENT;
    private Runnable onGone;

    private JettyClientWatch(Request request, AbstractEndPoint endPoint) {
        this.request = request;
        this.endPoint = endPoint;
    }

    /** The watch for {@code servletRequest}, or {@link ClientWatch#NONE} when it is not served by Jetty. */
    static ClientWatch of(HttpServletRequest servletRequest) {
        ServletContextRequest request = servletRequest == null ? null : ServletContextRequest.getServletContextRequest(servletRequest);
        if (request == null) {
            return ClientWatch.NONE;
        }
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        Connection connection = request.getConnectionMetaData().getConnection();
        boolean http1 = version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
        if (http1 && connection instanceof Connection.UpgradeTo && connection.getEndPoint() instanceof AbstractEndPoint endPoint) {
            return new JettyClientWatch(request, endPoint);
        }
        return new JettyClientWatch(request, null);
    }

    @Override
    public void start(Runnable onGone) {
        synchronized (this) {
            if (state != State.LATENT) {
                throw new IllegalStateException("a client watch is started once");
            }
            this.onGone = onGone;
            state = State.WATCHING;
            if (endPoint != null) {
                // Fails only if someone already reads this connection; then its own read will see the end.
                endPoint.tryFillInterested(this);
            }
        }
        request.addFailureListener(failure -> gone());
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (state == State.WATCHING) {
                state = State.STOPPED;
                withdrawReadInterest();
            }
        }
    }

    /** Calls failed() on this thread when the interest was still registered; the state, no longer WATCHING, says it was us. */
    private void withdrawReadInterest() {
        if (endPoint != null) {
            endPoint.getFillInterest().onFail(new CancellationException("no longer watched"));
        }
    }

    /** The socket is readable. */
    @Override
    public void succeeded() {
        boolean closed;
        synchronized (this) {
            if (state != State.WATCHING) {
                return; // stopped meanwhile: whatever is there is the connection's to read
            }
            closed = readOrHandBack();
        }
        if (closed) {
            gone();
        }
    }

    /** @return whether the client closed its side */
    private boolean readOrHandBack() {
        // One byte: the end of the stream is all this watch looks for, and a pipelined request's first
        // byte is all it must give back.
        ByteBuffer buffer = BufferUtil.allocate(1);
        int filled;
        try {
            filled = endPoint.fill(buffer);
        } catch (IOException e) {
            return true;
        }
        if (filled < 0) {
            return true;
        }
        if (filled == 0) {
            endPoint.tryFillInterested(this);
        } else {
            // The client pipelined its next request: give it to the connection, which parses it once this one is answered.
            ((Connection.UpgradeTo) endPoint.getConnection()).onUpgradeTo(buffer);
            state = State.STOPPED;
        }
        return false;
    }

    /** The read interest failed: the endpoint was closed (idle timeout, shutdown), unless stop() withdrew it. */
    @Override
    public void failed(Throwable cause) {
        gone();
    }

    private void gone() {
        Runnable notify;
        synchronized (this) {
            if (state != State.WATCHING) {
                return;
            }
            state = State.GONE;
            // A failure listener's news (an idle timeout) leaves the read registered; the answer must not find it.
            withdrawReadInterest();
            notify = onGone;
        }
        notify.run();
    }

    @Override
    public InvocationType getInvocationType() {
        // The read is non-blocking, but onGone frees the slot and answers the request: not for a selector thread.
        return InvocationType.BLOCKING;
    }
}
