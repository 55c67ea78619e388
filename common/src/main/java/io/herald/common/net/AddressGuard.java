package io.herald.common.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides whether Herald may open an outbound HTTP connection (webhooks, status callbacks) to an address.
 * Tenants choose the URLs, so by default nothing inside the network is reachable: loopback, link-local
 * (the cloud metadata address 169.254.169.254), private, shared (CGNAT), unique-local and link-local
 * IPv6, multicast, broadcast, "this network", documentation and benchmarking ranges, and every IPv6
 * form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4) of one of those. An operator
 * opens networks with {@code webhook.allowNetworks}; an allowed network wins over a denied range.
 *
 * <p>Two checks use it. {@link #test} is applied at connect time to the address a name resolved to,
 * which is the address then connected to, so DNS rebinding gains nothing. {@link #refusal} is applied
 * by the API to a URL whose host is a literal address, in any spelling a resolver accepts (decimal
 * {@code 2130706433}, hex {@code 0x7f.1}, octal, short {@code 127.1}), so the tenant hears at once.
 */
public final class AddressGuard implements Predicate<InetAddress> {
    /** Ranges no tenant may reach unless allowed; IANA special-purpose registries, RFC 6890 and successors. */
    static final List<Cidr> DENIED = parseAll(List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"));
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowed;
    private final boolean httpsOnly;

    public AddressGuard(List<Cidr> allowed, boolean httpsOnly) {
        this.allowed = List.copyOf(allowed);
        this.httpsOnly = httpsOnly;
    }

    /** The guard configured by {@code webhook.allowNetworks} (comma-separated CIDRs) and {@code webhook.httpsOnly}. */
    public static AddressGuard of(String allowNetworks, boolean httpsOnly) {
        return new AddressGuard(parseList(allowNetworks), httpsOnly);
    }

    /** Comma-separated CIDRs; blanks between commas are ignored. Throws IllegalArgumentException naming a bad one. */
    public static List<Cidr> parseList(String networks) {
        return parseAll(Arrays.stream(networks.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    private static List<Cidr> parseAll(List<String> networks) {
        return networks.stream().map(Cidr::parse).toList();
    }

    /** Whether a connection to {@code address} may be opened. */
    @Override
    public boolean test(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] embedded = embeddedIpv4(bytes);
        if (isAllowed(bytes) || (embedded != null && isAllowed(embedded))) {
            return true;
        }
        return !isDenied(bytes) && (embedded == null || !isDenied(embedded));
    }

    private boolean isAllowed(byte[] bytes) {
        return allowed.stream().anyMatch(c -> c.contains(bytes));
    }

    private static boolean isDenied(byte[] bytes) {
        return DENIED.stream().anyMatch(c -> c.contains(bytes)) || isBroadcast(bytes);
    }

    private static boolean isBroadcast(byte[] bytes) {
        return bytes.length == 4 && (bytes[0] & bytes[1] & bytes[2] & bytes[3]) == (byte) 0xFF;
    }

    /**
     * The IPv4 address inside an IPv6 one: mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d},
     * NAT64 {@code 64:ff9b::a.b.c.d} or 6to4 {@code 2002:aabb:ccdd::}; null when there is none.
     */
    static byte[] embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return null;
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 2, 6);
        }
        boolean zeroPrefix = allZero(bytes, 0, 10);
        boolean mapped = zeroPrefix && bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
        boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0 && !allZero(bytes, 12, 15);
        return mapped || compatible || NAT64.contains(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why Herald would not post to {@code url}, or empty when it may try: the scheme must be http or https
     * (https only with {@code webhook.httpsOnly}), there must be a host, and a host that is a literal
     * address must pass {@link #test}. A name is checked when it is resolved, at connect time; only
     * {@code localhost} names are refused here already.
     */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (httpsOnly && !scheme.equals("https")) {
            return Optional.of("must be an https URL (webhook.httpsOnly)");
        }
        return hostRefusal(uri.getHost());
    }

    private Optional<String> hostRefusal(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return Optional.of("must not point at this machine ('" + host + "')");
        }
        Optional<InetAddress> literal = literalAddress(name);
        if (literal.isPresent() && !test(literal.get())) {
            return Optional.of("must not point inside the network: " + literal.get().getHostAddress()
                    + " is a blocked address (allow it with webhook.allowNetworks)");
        }
        return Optional.empty();
    }

    /** The address {@code host} spells, if it is a literal: bracketed IPv6 (zone dropped) or IPv4 in any resolver spelling. */
    static Optional<InetAddress> literalAddress(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String inside = host.substring(1, host.length() - 1);
            int zone = inside.indexOf('%');
            String address = zone < 0 ? inside : inside.substring(0, zone);
            // A colon makes it an IPv6 literal, which InetAddress parses without asking DNS.
            if (!address.contains(":") || !address.matches("[0-9A-Fa-f:.]+")) {
                return Optional.empty();
            }
            return byName(address);
        }
        return Ipv4Literal.parse(host).map(AddressGuard::ipv4);
    }

    private static Optional<InetAddress> byName(String literal) {
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return Inet4Address.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
