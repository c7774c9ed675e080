package io.aiaas.platform.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where model artifacts live ({@code aiaas.storage.*}). */
@ConfigMapping(prefix = "aiaas.storage")
public interface StorageConfig {

    /** Directory of the .onnx files; a temporary directory unless set (the local launcher sets a persistent one). */
    @WithDefault("${java.io.tmpdir}/aiaas/models")
    Path dir();
}
