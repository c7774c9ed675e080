package io.aiaas.platform.model.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the model registry ({@code aiaas.models.*}). */
@ConfigMapping(prefix = "aiaas.models")
public interface ModelConfig {

    /** Largest accepted .onnx upload in bytes; larger bodies get 413 and leave nothing behind. */
    @WithDefault("1073741824")
    long maxUploadBytes();
}
