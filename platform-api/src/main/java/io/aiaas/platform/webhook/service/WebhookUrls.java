package io.aiaas.platform.webhook.service;

import io.aiaas.platform.common.validation.Text;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which webhook URLs the platform calls: http or https, at most {@link #MAX_LENGTH} characters, a host, no user
 * info, and (unless private addresses are allowed) a host whose every address is public: no loopback, private
 * (RFC 1918, IPv6 unique-local), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast or
 * unspecified address. Checked when a URL is configured and again before each delivery, because DNS can change.
 */
public final class WebhookUrls {

    public static final int MAX_LENGTH = 2000;

    /** Resolves host names; replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why a URL is refused; the message is safe to show to the tenant. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public WebhookUrls(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public WebhookUrls(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** The URL as it will be called, or why not. */
    public URI check(String url) throws Refused {
        URI uri = parse(url);
        checkAddresses(uri.getHost());
        return uri;
    }

    /** Only the syntax rules (scheme, host, length), without resolving the host. */
    public static URI parse(String url) throws Refused {
        if (url == null || url.isBlank()) {
            throw new Refused("url is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw new Refused("url is longer than " + MAX_LENGTH + " characters");
        }
        if (Text.problem(url) != null) {
            throw new Refused("url " + Text.problem(url));
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("url is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("url must use http or https");
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("url must not contain a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("url must not contain a fragment");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new Refused("url port " + uri.getPort() + " is not a TCP port (1 to 65535)");
        }
        // one spelling of the scheme, as stored and shown
        return URI.create(scheme + uri.toString().substring(uri.getScheme().length()));
    }

    private void checkAddresses(String host) throws Refused {
        if (allowPrivate) {
            return;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new Refused("url host " + host + " cannot be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            throw new Refused("url host " + host + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new Refused("url host " + host + " resolves to a non-public address ("
                        + address.getHostAddress() + ")");
            }
        }
    }

    /** Whether an address is on the public internet (none of the internal ranges above). */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique-local
                return false;
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) { // fec0::/10 deprecated site-local
                return false;
            }
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses: judge the IPv4 address
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            if (zeros && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) { // 2002::/16 6to4 embeds an IPv4 address
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
