package io.herald.worker.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves a destination's name once and passes on only the addresses {@code allowed} accepts: the
 * client connects to exactly the addresses checked here, with no second lookup a name server could
 * answer differently. If none is allowed, the request fails with {@link BlockedAddressException}.
 */
final class AddressCheckingResolver implements SocketAddressResolver {
    private final SocketAddressResolver delegate;
    private final Predicate<InetAddress> allowed;

    AddressCheckingResolver(SocketAddressResolver delegate, Predicate<InetAddress> allowed) {
        this.delegate = delegate;
        this.allowed = allowed;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        delegate.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                List<InetSocketAddress> permitted = addresses.stream().filter(a -> a.getAddress() != null && allowed.test(a.getAddress())).toList();
                if (permitted.isEmpty()) {
                    promise.failed(new BlockedAddressException(host, addresses));
                } else {
                    promise.succeeded(permitted);
                }
            }

            @Override
            public void failed(Throwable failure) {
                promise.failed(failure);
            }
        });
    }

    /** Every address the name resolved to was refused by the address check. */
    static final class BlockedAddressException extends Exception {
        BlockedAddressException(String host, List<InetSocketAddress> addresses) {
            super("blocked address: " + host + " resolves to " + addresses.stream()
                    .map(a -> a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()).toList(), null, false, false);
        }
    }
}
