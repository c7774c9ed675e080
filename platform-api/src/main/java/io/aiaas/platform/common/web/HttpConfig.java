package io.aiaas.platform.common.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How request bodies must arrive and which proxies say where a call came from ({@code aiaas.http.*}); the limits of
 * /v2 and uploads are their features' own.
 */
@ConfigMapping(prefix = "aiaas.http")
public interface HttpConfig {

    /** A body that sends nothing for this long is cut off with 408. */
    @WithDefault("5s")
    Duration bodyStallTimeout();

    /** After the stall timeout, a body whose average rate falls below this is cut off with 408. */
    @WithDefault("1024")
    long minBodyBytesPerSecond();

    /** Largest JSON body of the admin and tenant APIs. */
    @WithDefault("1M")
    MemorySize maxJsonBytes();

    /**
     * Addresses or CIDR networks of the reverse proxies in front of this process (an ingress controller's pods) whose
     * {@code X-Forwarded-For} is believed, read from its right end
     * ({@link io.aiaas.platform.common.net.ClientAddresses}); none by default: the connection's address is the
     * caller's.
     */
    Optional<List<String>> trustedProxies();
}
