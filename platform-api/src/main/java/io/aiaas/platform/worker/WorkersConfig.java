package io.aiaas.platform.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the worker registry ({@code aiaas.workers.*}). */
@ConfigMapping(prefix = "aiaas.workers")
public interface WorkersConfig {

    /** A worker whose last heartbeat is older than this is DOWN and gets no traffic. */
    @WithDefault("10s")
    Duration downAfter();

    /** Heartbeat interval told to workers at registration. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** How often silent workers are looked for and marked DOWN. */
    @WithDefault("2s")
    Duration sweepInterval();
}
