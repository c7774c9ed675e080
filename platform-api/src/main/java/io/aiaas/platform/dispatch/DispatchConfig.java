package io.aiaas.platform.dispatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of dispatching calls to workers ({@code aiaas.dispatch.*}). */
@ConfigMapping(prefix = "aiaas.dispatch")
public interface DispatchConfig {

    /** How long the gateway waits for a worker's answer before it answers 504. */
    @WithDefault("30s")
    Duration workerTimeout();

    /** How long opening a connection to a worker may take before the call moves to another worker. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** How often the routing table is reloaded from PostgreSQL (heartbeats on this replica reload it as well). */
    @WithDefault("1s")
    Duration routingRefresh();

    /**
     * Kept-alive connections this replica may hold to one worker: calls in flight to a worker beyond it wait (in
     * order) for a free connection, so it also bounds what one replica sends a worker at once.
     */
    @WithDefault("512")
    int maxConnectionsPerWorker();

    /**
     * Failures in a row (no answer, a 5xx of the worker's own, a timeout) after which this replica ejects a worker: it
     * gets no call until its readiness probe answers 200. A refused connection or a draining answer ejects at once.
     */
    @WithDefault("3")
    int ejectAfterFailures();

    /** How often an ejected worker's readiness ({@code GET /v2/health/ready}) is probed. */
    @WithDefault("500ms")
    Duration probeInterval();

    /** How long one probe may take before it counts as not answered. */
    @WithDefault("1s")
    Duration probeTimeout();
}
