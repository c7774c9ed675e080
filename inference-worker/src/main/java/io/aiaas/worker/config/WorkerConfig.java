package io.aiaas.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the inference worker, all under {@code aiaas.worker} (env {@code AIAAS_WORKER_*}). */
@ConfigMapping(prefix = "aiaas.worker")
public interface WorkerConfig {

    /** The name this worker registers under. */
    @WithDefault("worker-1")
    String name();

    /** The URL the control plane calls this worker on; defaults to http://127.0.0.1:&lt;actual HTTP port&gt;. */
    Optional<String> advertisedUrl();

    /** Where downloaded model artifacts are kept while loaded. */
    @WithDefault("${java.io.tmpdir}/aiaas-worker-${quarkus.http.port}")
    Path cacheDir();

    /** auto (CUDA when available), cpu or cuda. */
    @WithDefault("auto")
    String device();

    @WithDefault("1")
    int intraOpThreads();

    @WithDefault("1")
    int interOpThreads();

    @WithDefault("0")
    int cudaDeviceId();

    /**
     * The longest one inference may run; a run stopped by it is 400 (its input sized the work: a loop count, a
     * range). Keep it below the control plane's {@code aiaas.dispatch.worker-timeout} (30 s), so the client learns
     * why instead of getting a 504. 0 turns the limit off.
     */
    @WithDefault("20s")
    Duration maxRunTime();

    /** Largest accepted request body; larger ones get 413 (mirrored into quarkus.http.limits.max-body-size). */
    @WithDefault("67108864")
    long maxRequestBytes();

    /** How many models are downloaded and loaded at the same time. */
    @WithDefault("2")
    int loadThreads();

    ControlPlane controlPlane();

    /** The link to platform-api: registration, heartbeats, artifact downloads. */
    interface ControlPlane {

        @WithDefault("http://127.0.0.1:8080")
        String url();

        /** Off in tests that drive loads through the repository endpoints directly. */
        @WithDefault("true")
        boolean enabled();

        /** Longest wait between attempts while the control plane is unreachable. */
        @WithDefault("PT10S")
        Duration maxRetryInterval();

        /** Timeout of each call to the control plane (not of artifact downloads). */
        @WithDefault("PT5S")
        Duration requestTimeout();
    }
}
