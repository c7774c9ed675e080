package io.aiaas.platform.model.service;

import io.aiaas.engine.ModelSignature;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ConflictException;
import io.aiaas.platform.common.error.InvalidRequestException;
import io.aiaas.platform.common.error.PayloadTooLargeException;
import io.aiaas.platform.common.error.ResourceNotFoundException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelRepository;
import io.aiaas.platform.model.persistence.ModelVersionEntity;
import io.aiaas.platform.model.persistence.ModelVersionRepository;
import io.aiaas.platform.model.persistence.PlacementQueries;
import io.aiaas.platform.model.persistence.PlacementQueries.PlacementRow;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The model registry: models, their uploaded and validated versions, and retirement. */
@ApplicationScoped
public class ModelService {

    @Inject
    ModelRepository models;

    @Inject
    ModelVersionRepository versions;

    @Inject
    PlacementQueries placements;

    @Inject
    TenantRepository tenants;

    @Inject
    ModelStorage storage;

    @Inject
    ModelInspector inspector;

    @Inject
    ModelConfig config;

    @Inject
    AuditLog audit;

    @Transactional
    public ModelDetail create(CreateModelRequest request, Caller caller) {
        boolean isPrivate = "private".equals(request.visibility());
        UUID ownerId = null;
        String owner = request.ownerTenant() == null || request.ownerTenant().isBlank() ? null
                : request.ownerTenant().trim();
        if (owner != null) {
            ownerId = tenants.findBySlug(owner).map(t -> t.id).orElseThrow(() -> new InvalidRequestException(
                    "unknown_owner_tenant", "owner_tenant '" + owner + "' is not an existing tenant"));
        } else if (isPrivate) {
            throw new InvalidRequestException("owner_tenant_required", "A private model needs an owner_tenant");
        }
        if (models.findByName(request.name()).isPresent()) {
            throw exists(request.name());
        }
        ModelEntity model = new ModelEntity();
        model.id = UUID.randomUUID();
        model.name = request.name();
        model.description = request.description();
        model.visibility = isPrivate ? "PRIVATE" : "PUBLIC";
        model.ownerTenantId = ownerId;
        model.createdAt = now();
        model.updatedAt = model.createdAt;
        try {
            models.persistAndFlush(model);
        } catch (PersistenceException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw exists(request.name());
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, ownerId, "model.created", "model", model.name,
                Constraints.json("visibility", model.visibility, "owner_tenant", owner));
        return new ModelDetail(model.id, model.name, model.description, visibility(model), owner, model.createdAt,
                model.updatedAt, List.of());
    }

    @Transactional
    public List<ModelView> list() {
        Map<UUID, String> slugs = tenantSlugs();
        Map<UUID, Integer> latest = new LinkedHashMap<>();
        for (ModelVersionEntity v : versions.list("status", "READY")) {
            latest.merge(v.modelId, v.version, Math::max);
        }
        return models.listByName().stream()
                .map(m -> new ModelView(m.id, m.name, m.description, visibility(m), slugs.get(m.ownerTenantId),
                        latest.get(m.id), m.createdAt, m.updatedAt))
                .toList();
    }

    @Transactional
    public ModelDetail get(String name) {
        ModelEntity model = find(name);
        List<ModelVersionEntity> all = versions.listByModel(model.id);
        Map<UUID, List<PlacementView>> placed = placements.forVersions(all.stream().map(v -> v.id).toList())
                .stream()
                .collect(Collectors.groupingBy(PlacementRow::modelVersionId, LinkedHashMap::new,
                        Collectors.mapping(ModelService::view, Collectors.toList())));
        String owner = model.ownerTenantId == null ? null
                : tenants.findByIdOptional(model.ownerTenantId).map(t -> t.slug).orElse(null);
        return new ModelDetail(model.id, model.name, model.description, visibility(model), owner, model.createdAt,
                model.updatedAt, all.stream().map(v -> view(model, v, placed.getOrDefault(v.id, List.of()))).toList());
    }

    /**
     * Registers a new version from a streamed .onnx body: store (hashing on the way), validate with ONNX Runtime,
     * then number it under a lock on the model row. On any failure no row and no file remain.
     *
     * @param declaredLength the Content-Length, or -1 when the body is chunked
     */
    public VersionView upload(String name, InputStream body, long declaredLength, Caller caller) {
        UUID modelId = QuarkusTransaction.requiringNew().call(() -> find(name).id);
        long cap = config.maxUploadBytes();
        if (declaredLength > cap) {
            throw new PayloadTooLargeException("The model file (" + declaredLength + " bytes) is larger than the "
                    + "limit of " + cap + " bytes (aiaas.models.max-upload-bytes)");
        }
        ModelStorage.Received received = storage.receive(body, cap);
        Path placed = null;
        try {
            if (received.sizeBytes() == 0) {
                throw new InvalidRequestException("invalid_model", "The request body is empty; send the .onnx file");
            }
            ModelSignature signature = inspector.inspect(received.path());
            UUID versionId = UUID.randomUUID();
            String relative = storage.place(received.path(), modelId, versionId);
            placed = storage.resolve(relative);
            VersionView created = QuarkusTransaction.requiringNew().call(
                    () -> register(modelId, versionId, received, relative, signature, caller));
            placed = null; // committed: the file now belongs to the version
            return created;
        } finally {
            storage.delete(received.path());
            storage.delete(placed);
        }
    }

    /** Marks a version RETIRED; retiring twice keeps the first time. Its file stays for audit and rollbacks. */
    @Transactional
    public void retire(String name, int version, Caller caller) {
        ModelEntity model = find(name);
        ModelVersionEntity v = versions.find(model.id, version).orElseThrow(() -> versionNotFound(name, version));
        if ("RETIRED".equals(v.status)) {
            return;
        }
        v.status = "RETIRED";
        v.retiredAt = now();
        v.updatedAt = v.retiredAt;
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model_version.retired", "model_version",
                name + "/" + version, Constraints.json("sha256", v.sha256));
    }

    /** What a tenant may call: public models and its own private ones, READY versions only. */
    @Transactional
    public List<TenantModelView> listForTenant(TenantAccess access) {
        Map<UUID, ModelEntity> byId = new LinkedHashMap<>();
        Map<UUID, List<TenantModelView.Version>> ready = new LinkedHashMap<>();
        for (Object[] row : versions.listReadyVisibleTo(access.tenantId())) {
            ModelEntity m = (ModelEntity) row[0];
            ModelVersionEntity v = (ModelVersionEntity) row[1];
            byId.putIfAbsent(m.id, m);
            ready.computeIfAbsent(m.id, id -> new ArrayList<>()).add(new TenantModelView.Version(v.version, v.sha256,
                    v.sizeBytes, ModelSignatures.viewOfJson(v.signature), v.createdAt));
        }
        return byId.values().stream().map(m -> {
            List<TenantModelView.Version> vs = ready.get(m.id);
            return new TenantModelView(m.name, m.description, visibility(m), vs.get(vs.size() - 1).version(), vs);
        }).toList();
    }

    private VersionView register(UUID modelId, UUID versionId, ModelStorage.Received received, String relative,
            ModelSignature signature, Caller caller) {
        ModelEntity model = models.lock(modelId)
                .orElseThrow(() -> new ResourceNotFoundException("model_not_found", "The model was deleted"));
        ModelVersionEntity v = new ModelVersionEntity();
        v.id = versionId;
        v.modelId = modelId;
        v.version = versions.maxVersion(modelId) + 1;
        v.sha256 = received.sha256();
        v.sizeBytes = received.sizeBytes();
        v.storagePath = relative;
        v.signature = ModelSignatures.toJson(signature);
        v.status = "READY";
        v.createdAt = now();
        v.updatedAt = v.createdAt;
        versions.persist(v);
        model.updatedAt = v.createdAt;
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model_version.created", "model_version",
                model.name + "/" + v.version, Constraints.json("sha256", v.sha256, "size_bytes", v.sizeBytes));
        return view(model, v, List.of());
    }

    private ModelEntity find(String name) {
        return models.findByName(name)
                .orElseThrow(() -> new ResourceNotFoundException("model_not_found", "No model '" + name + "'"));
    }

    private Map<UUID, String> tenantSlugs() {
        return tenants.listAll().stream().collect(Collectors.toMap(t -> t.id, t -> t.slug));
    }

    private static VersionView view(ModelEntity m, ModelVersionEntity v, List<PlacementView> placed) {
        return new VersionView(v.id, m.name, v.version, v.status.toLowerCase(Locale.ROOT), v.statusReason, v.sha256,
                v.sizeBytes, ModelSignatures.viewOfJson(v.signature), v.createdAt, v.retiredAt, placed);
    }

    private static PlacementView view(PlacementRow r) {
        return new PlacementView(r.workerId(), r.workerName(), r.workerUrl(),
                r.workerStatus().toLowerCase(Locale.ROOT), r.lastHeartbeatAt(), r.state().toLowerCase(Locale.ROOT),
                r.reason(), r.updatedAt());
    }

    private static String visibility(ModelEntity m) {
        return m.visibility.toLowerCase(Locale.ROOT);
    }

    private static ConflictException exists(String name) {
        return new ConflictException("model_exists", "A model named '" + name + "' already exists");
    }

    private static ResourceNotFoundException versionNotFound(String name, int version) {
        return new ResourceNotFoundException("version_not_found", "Model '" + name + "' has no version " + version);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
