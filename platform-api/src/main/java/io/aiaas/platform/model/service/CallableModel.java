package io.aiaas.platform.model.service;

import io.aiaas.engine.ModelSignature;
import java.util.UUID;

/**
 * A READY model version that a given tenant may call, as the inference gateway needs it.
 *
 * @param modelName the model's name (the {name} of /v2/models/{name})
 * @param version the version number (the {v} of .../versions/{v})
 */
public record CallableModel(UUID modelId, String modelName, UUID versionId, int version, String sha256,
        long sizeBytes, ModelSignature signature) {
}
