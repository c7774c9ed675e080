package io.aiaas.platform.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the usage writer ({@code aiaas.metering.*}). */
@ConfigMapping(prefix = "aiaas.metering")
public interface MeteringConfig {

    /** How long a request waits for the commit of its usage row before it answers 503. */
    @WithDefault("5s")
    Duration commitTimeout();

    /** Most rows written in one JDBC batch (one transaction). */
    @WithDefault("500")
    int maxBatch();

    /** Most rows waiting for the writer; beyond it a request is refused (503) instead of queueing without bound. */
    @WithDefault("20000")
    int maxQueued();
}
