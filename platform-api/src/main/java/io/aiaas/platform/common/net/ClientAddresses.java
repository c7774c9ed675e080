package io.aiaas.platform.common.net;

import io.aiaas.platform.common.web.HttpConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one place that decides which address a call came from, for REST and gRPC alike: the connection's, unless the
 * connection is one of the reverse proxies the operator trusts ({@code aiaas.http.trusted-proxies}); then the
 * {@code X-Forwarded-For} chain is read from its right end, past every trusted proxy, and the first address no
 * trusted proxy holds is the caller's.
 *
 * <p>Right to left, not the left-most entry Quarkus' own {@code quarkus.http.proxy.*} takes: most proxies (nginx's
 * {@code $proxy_add_x_forwarded_for}, cloud load balancers, Envoy) append the address they saw to whatever the client
 * sent, so the left-most entry is the client's own claim, and a key limited to an office network would let anyone
 * who writes {@code X-Forwarded-For: <an office address>} through. Only the entries the trusted proxies appended are
 * believed. Without trusted proxies the header is never read (a client cannot claim an address). Made at startup, so
 * that an entry that is not an address or network stops the process with its name rather than failing calls.
 */
@Startup
@Singleton
public class ClientAddresses {

    /** What an untrusted entry is shortened to in a refusal that names it. */
    private static final int MAX_NAMED = 64;

    private final List<Network> trusted;

    @Inject
    public ClientAddresses(HttpConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    /**
     * @param trustedProxies addresses or CIDR networks, as {@link Network#parse} reads them
     * @throws IllegalArgumentException naming {@code aiaas.http.trusted-proxies} and the entry that is not one
     */
    public ClientAddresses(List<String> trustedProxies) {
        List<Network> networks = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                networks.add(Network.parse(entry));
            } catch (Network.InvalidNetwork e) {
                throw new IllegalArgumentException("aiaas.http.trusted-proxies: " + e.getMessage(), e);
            }
        }
        this.trusted = List.copyOf(networks);
    }

    /**
     * The caller's address: {@code connection} (the address literal the socket, or a PROXY protocol header, gives),
     * or, while that is a trusted proxy, the entry before it in {@code forwardedFor} (every X-Forwarded-For value in
     * the order received, each a comma-separated list; read only when the connection is a trusted proxy). An entry
     * that is not an address literal ({@code unknown}, a name) ends the walk and is answered as written (shortened),
     * so that a key with networks refuses the call and says what the proxy wrote. Null when the connection's address
     * is unknown.
     */
    public String callerOf(String connection, Supplier<List<String>> forwardedFor) {
        if (trusted.isEmpty() || connection == null || !isTrusted(connection)) {
            return connection;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor.get()) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        String address = connection;
        for (int i = hops.size() - 1; i >= 0 && isTrusted(address); i--) {
            address = withoutPort(hops.get(i));
        }
        return address.length() <= MAX_NAMED ? address : address.substring(0, MAX_NAMED) + "...";
    }

    private boolean isTrusted(String address) {
        return Network.anyContains(trusted, address);
    }

    /** {@code [2001:db8::1]:443} and {@code 203.0.113.9:443}, as some proxies write them, without the port. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }
}
