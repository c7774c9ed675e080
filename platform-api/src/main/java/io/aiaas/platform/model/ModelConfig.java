package io.aiaas.platform.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the model registry ({@code aiaas.models.*}). */
@ConfigMapping(prefix = "aiaas.models")
public interface ModelConfig {

    /** Largest accepted upload (.onnx file or zip archive) in bytes; larger bodies get 413 and leave nothing behind. */
    @WithDefault("1073741824")
    long maxUploadBytes();

    /**
     * Most bytes a zip archive (a model and its external data) may unpack to, all files together; counted while
     * unpacking, so an archive that claims less and inflates to more is refused too (400).
     */
    @WithDefault("4294967296")
    long maxUnpackedBytes();

    /** The longest one validation run (the zero-filled warm-up, an example) may take; longer is refused. */
    @WithDefault("30s")
    Duration validationRunTime();

    /** Largest accepted example request (Open Inference Protocol JSON) in bytes. */
    @WithDefault("16777216")
    long maxExampleBytes();

    /**
     * How long the gateway reuses a lookup of which models a tenant may call. Uploads and retirements reach every
     * replica at once through PostgreSQL NOTIFY; this bounds the delay should a notification be lost.
     */
    @WithDefault("2s")
    Duration cacheTtl();
}
