package io.herald.worker.http;

import io.herald.common.config.WebhookConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Predicate;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one Jetty client of a worker, as {@link HttpDelivery} uses it: a small pooled executor (16 threads at
 * most, one selector), HTTP/1.1 and HTTP/2 by ALPN, every resolved address checked before connecting, no
 * redirects, and the connection cap per destination that the lanes keep to.
 */
final class JettyClient {
    private JettyClient() {}

    static HttpClient create(WebhookConfig config, String workerId, Predicate<InetAddress> allowed,
                                        SslContextFactory.Client tls) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("http-" + workerId);
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setExecutor(threads);
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(Duration.ofMillis(config.connectTimeout.toMilliseconds()));
        connector.setIdleTimeout(Duration.ofMillis(config.idleTimeout.toMilliseconds()));
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector))));
        client.setExecutor(threads);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("http-scheduler-" + workerId, true);
        client.setScheduler(scheduler);
        client.setSocketAddressResolver(new AddressCheckingResolver(
                new SocketAddressResolver.Async(threads, scheduler, config.connectTimeout.toMilliseconds()), allowed));
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(config.maxConnectionsPerDestination);
        // The lanes keep in flight at most the connection cap; Jetty's own queue only covers connections opening.
        client.setMaxRequestsQueuedPerDestination(config.maxConnectionsPerDestination);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Herald"));
        client.setConnectTimeout(config.connectTimeout.toMilliseconds());
        client.setIdleTimeout(config.idleTimeout.toMilliseconds());
        return client;
    }
}
