package io.aiaas.platform.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the inference gateway ({@code aiaas.gateway.*}). */
@ConfigMapping(prefix = "aiaas.gateway")
public interface GatewayConfig {

    /** Largest request body accepted by {@code /v2}; larger ones get 413. */
    @WithDefault("16M")
    MemorySize maxRequestBytes();

    /**
     * Most calls to shadow versions this replica has in flight at once; a call beyond it is not mirrored (counted as
     * {@code skipped}), so that a slow shadow version never piles up work behind the calls that are answered.
     */
    @WithDefault("32")
    int maxShadowInFlight();
}
