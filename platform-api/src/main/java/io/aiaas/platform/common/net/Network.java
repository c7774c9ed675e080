package io.aiaas.platform.common.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}; a bare address is a /32
 * or /128), and whether an address lies in it. Written here rather than taken from a library: parsing a literal and
 * comparing prefix bits is a few lines over {@link InetAddress}, and the one care needed (never resolving a host name,
 * which {@code InetAddress.getByName} would do for anything that is not a literal) is easier to see in them.
 */
public final class Network {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d"
            + "|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final byte[] address;
    private final int prefix;

    private Network(byte[] address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    /** Thrown for text that is not a network; its message says why, naming the text. */
    public static final class InvalidNetwork extends IllegalArgumentException {
        InvalidNetwork(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws InvalidNetwork when it is not an IPv4 or IPv6 literal with an optional prefix in range, or has bits set
     *     beyond its prefix (the message names the network meant)
     */
    public static Network parse(String text) {
        String value = text == null ? "" : text.strip();
        int slash = value.indexOf('/');
        String host = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = literal(host);
        if (bytes == null) {
            throw new InvalidNetwork("'" + shorten(value) + "' is not an IPv4 or IPv6 address or network, such as "
                    + "203.0.113.0/24 or 2001:db8::/32");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = value.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > bits) {
                throw new InvalidNetwork("'" + shorten(value) + "' has no prefix length from 0 to " + bits);
            }
            prefix = Integer.parseInt(digits);
        }
        Network network = new Network(bytes, prefix);
        byte[] masked = network.masked(bytes);
        if (!java.util.Arrays.equals(masked, bytes)) {
            throw new InvalidNetwork(shorten(value) + " has bits set beyond /" + prefix + "; the network is "
                    + new Network(masked, prefix));
        }
        return network;
    }

    /** Whether {@code client} lies in this network (an IPv4 address never lies in an IPv6 network, nor the reverse). */
    public boolean contains(InetAddress client) {
        byte[] bytes = client.getAddress();
        return bytes.length == address.length && java.util.Arrays.equals(masked(bytes), address);
    }

    /** Whether {@code literal} is an address literal that lies in one of {@code networks} (never a name lookup). */
    public static boolean anyContains(List<Network> networks, String literal) {
        InetAddress address = client(literal);
        if (address == null) {
            return false;
        }
        for (Network network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The address literal of a client as its connection or a trusted proxy gives it; null when it is not one. */
    public static InetAddress client(String literal) {
        byte[] bytes = literal == null ? null : literal(literal.strip());
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private byte[] masked(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }

    /**
     * The bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 address as its IPv4 bytes, as Java reads it), or null;
     * never a name lookup: only text that can be nothing but a literal reaches {@link InetAddress#getByName}.
     */
    private static byte[] literal(String host) {
        if (IPV4.matcher(host).matches() || (host.indexOf(':') >= 0 && IPV6.matcher(host).matches())) {
            try {
                InetAddress parsed = InetAddress.getByName(host);
                return parsed instanceof Inet4Address || host.indexOf(':') >= 0 ? parsed.getAddress() : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Canonical CIDR: {@code 203.0.113.0/24}, {@code 2001:db8::/32} (RFC 5952: lower case, longest zero run as ::). */
    @Override
    public String toString() {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
                    + (address[3] & 0xFF) + "/" + prefix;
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is written as 0, not ::
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text + "/" + prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Network n && n.prefix == prefix && java.util.Arrays.equals(n.address, address);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(address) * 31 + prefix;
    }
}
