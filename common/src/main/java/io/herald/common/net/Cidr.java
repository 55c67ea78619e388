package io.herald.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** A network in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}): an address prefix of a given length. */
public record Cidr(byte[] network, int prefixLength) {
    public Cidr {
        network = network.clone();
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range");
        }
    }

    /**
     * Parses {@code address/length}; a bare address is a single host. Only literal addresses are
     * accepted, never names: parsing a configuration must not depend on DNS.
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address, text);
        int length = bytes.length * 8;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a network: the prefix length is not a number");
            }
            if (length < 0 || length > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' is not a network: the prefix length is out of range");
            }
        }
        return new Cidr(bytes, length);
    }

    private static byte[] literal(String address, String text) {
        boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("'" + text + "' is not a network such as 10.0.0.0/8 or fd00::/8");
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a network such as 10.0.0.0/8 or fd00::/8");
        }
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this network; an address of the other family never does. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
