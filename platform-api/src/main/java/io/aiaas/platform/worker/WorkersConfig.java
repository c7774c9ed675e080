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

    /** How often the placement of versions on workers is planned again (also after registrations and policy changes). */
    @WithDefault("1s")
    Duration placementInterval();

    /** The most workers a version is placed on when its model's policy sets no maximum; 0: every eligible worker. */
    @WithDefault("0")
    int defaultMaxReplicas();

    /**
     * A version's memory need, in bytes per byte of its .onnx file, while no worker has reported what it really
     * uses (ONNX Runtime holds the weights once more in its own layout, plus its arenas).
     */
    @WithDefault("2.0")
    double memoryPerArtifactByte();
}
