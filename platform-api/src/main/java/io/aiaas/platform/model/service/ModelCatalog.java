package io.aiaas.platform.model.service;

import io.aiaas.platform.common.error.ResourceNotFoundException;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelVersionEntity;
import io.aiaas.platform.model.persistence.ModelVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Read side of the model registry for the inference gateway and the worker-facing API: which version a tenant may
 * call, and where its artifact is.
 */
@ApplicationScoped
public class ModelCatalog {

    @Inject
    ModelVersionRepository versions;

    @Inject
    ModelStorage storage;

    /**
     * The version a tenant may call: the model is public or owned by the tenant, the version is READY; the given
     * version number, or the highest READY one when version is null. Empty otherwise (the caller answers 404).
     */
    @Transactional
    public Optional<CallableModel> resolveForTenant(UUID tenantId, String name, Integer version) {
        if (tenantId == null || name == null) {
            return Optional.empty();
        }
        return versions.findReadyVisibleTo(tenantId, name, version).map(ModelCatalog::callable);
    }

    /** A version by model name and number whatever its status or visibility (for workers pulling artifacts). */
    @Transactional
    public Optional<CallableModel> findVersion(String name, int version) {
        return versions.findByName(name, version).map(ModelCatalog::callable);
    }

    /**
     * The stored .onnx file of a version.
     *
     * @throws ResourceNotFoundException {@code version_not_found} when there is no such version
     */
    @Transactional
    public Path artifact(UUID versionId) {
        ModelVersionEntity version = versions.findByIdOptional(versionId)
                .orElseThrow(() -> new ResourceNotFoundException("version_not_found", "No model version " + versionId));
        return storage.resolve(version.storagePath);
    }

    private static CallableModel callable(Object[] row) {
        ModelEntity m = (ModelEntity) row[0];
        ModelVersionEntity v = (ModelVersionEntity) row[1];
        return new CallableModel(m.id, m.name, v.id, v.version, v.sha256, v.sizeBytes,
                ModelSignatures.fromJson(v.signature));
    }
}
