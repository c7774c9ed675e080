package io.aiaas.platform.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the inference gateway and its hot path ({@code aiaas.gateway.*}). */
@ConfigMapping(prefix = "aiaas.gateway")
public interface GatewayConfig {

    /** How long an API key lookup (and a model lookup) is reused; bounds how late a revocation takes effect. */
    @WithDefault("500ms")
    Duration keyCacheTtl();

    /** Largest request body accepted by {@code /v2}; larger ones get 413. */
    @WithDefault("16M")
    MemorySize maxRequestBytes();

    /** How long the gateway waits for a worker's answer before it answers 504. */
    @WithDefault("30s")
    Duration workerTimeout();

    /** How long opening a connection to a worker may take before the call moves to another worker. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** How often the routing table is reloaded from PostgreSQL (heartbeats on this replica reload it as well). */
    @WithDefault("1s")
    Duration routingRefresh();

    /** How long a worker that refused a connection is avoided by this replica before it is tried again. */
    @WithDefault("2s")
    Duration suspectFor();
}
