package io.herald.worker.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A real Jetty receiver on a random loopback port, with the behaviour a test gives it. It records what it received. */
public final class Receiver implements AutoCloseable {
    /** What the receiver does with one request; the body has been read already. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Request request, byte[] body, Response response, Callback callback) throws Exception;
    }

    /** One request as the receiver saw it. */
    public record Received(HttpFields headers, byte[] body, HttpVersion version, String method, String pathQuery) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final String scheme;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger mostConnections = new AtomicInteger();
    private final AtomicInteger connectionsEver = new AtomicInteger();

    private Receiver(String scheme, Behaviour behaviour, Tls tls, long idleTimeoutMillis, int connectionLimit) throws Exception {
        this.scheme = scheme;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("receiver");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keyStore().toString());
            ssl.setKeyStorePassword(Tls.PASSWORD);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
            alpn.setDefaultProtocol("http/1.1");
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                    new HTTP2ServerConnectionFactory(http), new HttpConnectionFactory(http));
        }
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(idleTimeoutMillis);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connectionsEver.incrementAndGet();
                mostConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
            }

            @Override
            public void onClosed(Connection connection) {
                openConnections.decrementAndGet();
            }
        });
        server.addConnector(connector);
        if (connectionLimit > 0) {
            server.addBean(new NetworkConnectionLimit(connectionLimit, connector));
        }
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = Request.asInputStream(request).readAllBytes();
                received.add(new Received(HttpFields.build(request.getHeaders()).asImmutable(), body,
                        request.getConnectionMetaData().getHttpVersion(), request.getMethod(), request.getHttpURI().getPathQuery()));
                behaviour.answer(request, body, response, callback);
                return true;
            }
        });
        server.start();
    }

    public static Receiver http(Behaviour behaviour) throws Exception {
        return new Receiver("http", behaviour, null, 30_000, 0);
    }

    /** A receiver that closes a keep-alive connection idle for {@code idleTimeoutMillis}, without a word. */
    public static Receiver closingIdle(long idleTimeoutMillis, Behaviour behaviour) throws Exception {
        return new Receiver("http", behaviour, null, idleTimeoutMillis, 0);
    }

    /** A receiver that holds at most {@code connections} connections open; more wait to be accepted. */
    public static Receiver accepting(int connections, Behaviour behaviour) throws Exception {
        return new Receiver("http", behaviour, null, 30_000, connections);
    }

    public static Receiver https(Tls tls, Behaviour behaviour) throws Exception {
        return new Receiver("https", behaviour, tls, 30_000, 0);
    }

    public String url() {
        return scheme + "://127.0.0.1:" + connector.getLocalPort() + "/hook";
    }

    public List<Received> received() {
        return received;
    }

    public int openConnections() {
        return openConnections.get();
    }

    public int mostConnectionsAtOnce() {
        return mostConnections.get();
    }

    public int connectionsEver() {
        return connectionsEver.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    // ---- behaviours ----------------------------------------------------------------------------

    public static Behaviour status(int status, Map<String, String> headers, String body) {
        return (request, b, response, callback) -> {
            response.setStatus(status);
            headers.forEach(response.getHeaders()::put);
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        };
    }

    public static Behaviour ok() {
        return status(200, Map.of(), "");
    }

    /** Sends the status line and headers, then never the body. */
    public static Behaviour stalledBody() {
        return (request, body, response, callback) -> {
            response.setStatus(200);
            response.getHeaders().put("Content-Length", "1000");
            response.write(false, ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
        };
    }

    /** Answers 200 with a body that never ends. */
    public static Behaviour floodingBody() {
        return (request, body, response, callback) -> {
            response.setStatus(200);
            ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
            flood(response, chunk, callback);
        };
    }

    private static void flood(Response response, ByteBuffer chunk, Callback done) {
        response.write(false, chunk.duplicate(), Callback.from(() -> flood(response, chunk, done), done::failed));
    }

    /** Reads the request, then drops the connection without an answer. */
    public static Behaviour dropsConnection() {
        return (request, body, response, callback) -> {
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new IOException("dropped on purpose"));
        };
    }

    /** Answers 200 once {@code release} is counted down. */
    public static Behaviour heldUntil(CountDownLatch release) {
        return (request, body, response, callback) -> {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            response.setStatus(200);
            callback.succeeded();
        };
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, in a PKCS12 key store that clients can trust. */
    public record Tls(Path keyStore) {
        static final String PASSWORD = "receiver";

        public static Tls selfSigned(Path directory) throws Exception {
            Path keyStore = directory.resolve("receiver.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0 || !Files.exists(keyStore)) {
                throw new UncheckedIOException(new IOException("keytool failed: " + output));
            }
            return new Tls(keyStore);
        }

        /** A client TLS factory that trusts this certificate (and only it). */
        public SslContextFactory.Client trustingClient() {
            SslContextFactory.Client client = new SslContextFactory.Client();
            client.setTrustStorePath(keyStore.toString());
            client.setTrustStorePassword(PASSWORD);
            client.setTrustStoreType("PKCS12");
            return client;
        }
    }
}
