package io.aiaas.platform.model.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.model.ModelConfig;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelGrantRepository;
import io.aiaas.platform.model.persistence.ModelRepository;
import io.aiaas.platform.model.persistence.ModelVersionEntity;
import io.aiaas.platform.model.persistence.ModelVersionRepository;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.aiaas.platform.worker.service.PlacementService;
import io.aiaas.platform.worker.service.WorkerRegistry;
import io.aiaas.platform.worker.service.WorkerRegistry.PlacementRow;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.InferenceRequest;
import io.aiaas.protocol.ProtocolException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/** The model registry: models, their uploaded and validated versions, their examples, and retirement. */
@ApplicationScoped
public class ModelService {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelGrantRepository grants;
    private final WorkerRegistry workers;
    private final PlacementService placement;
    private final TenantRepository tenants;
    private final VisibleModels visible;
    private final ModelStorage storage;
    private final ModelInspector inspector;
    private final ModelConfig config;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ModelsChanged> changed;
    private final InferenceCodec codec = new InferenceCodec();

    ModelService(ModelRepository models, ModelVersionRepository versions, ModelGrantRepository grants,
            WorkerRegistry workers, PlacementService placement, TenantRepository tenants, VisibleModels visible,
            ModelStorage storage, ModelInspector inspector, ModelConfig config, AuditLog audit,
            ChangeNotifications notifications, Event<ModelsChanged> changed) {
        this.models = models;
        this.versions = versions;
        this.grants = grants;
        this.workers = workers;
        this.placement = placement;
        this.tenants = tenants;
        this.visible = visible;
        this.storage = storage;
        this.inspector = inspector;
        this.config = config;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    @Transactional
    public ModelDetail create(CreateModelRequest request, Caller caller) {
        boolean isPrivate = "private".equals(request.visibility());
        UUID ownerId = null;
        String owner = request.ownerTenant() == null || request.ownerTenant().isBlank() ? null
                : request.ownerTenant().trim();
        if (owner != null) {
            ownerId = tenants.findBySlug(owner).map(t -> t.id).orElseThrow(() -> ApiException.badRequest(
                    "unknown_owner_tenant", "owner_tenant '" + owner + "' is not an existing tenant"));
        } else if (isPrivate) {
            throw ApiException.badRequest("owner_tenant_required", "A private model needs an owner_tenant");
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
                model.updatedAt, policy(model), ModelRollouts.view(model), List.of(), List.of());
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

    /** The admin's model card: every version with its signature, warm-up, example and placements. */
    @Transactional
    public ModelDetail get(String name) {
        ModelEntity model = find(name);
        List<ModelVersionEntity> all = versions.listByModel(model.id);
        Map<UUID, List<PlacementView>> placed = workers.placementsOf(all.stream().map(v -> v.id).toList())
                .stream()
                .collect(Collectors.groupingBy(PlacementRow::modelVersionId, LinkedHashMap::new,
                        Collectors.mapping(ModelService::view, Collectors.toList())));
        String owner = model.ownerTenantId == null ? null
                : tenants.findByIdOptional(model.ownerTenantId).map(t -> t.slug).orElse(null);
        return new ModelDetail(model.id, model.name, model.description, visibility(model), owner, model.createdAt,
                model.updatedAt, policy(model), ModelRollouts.view(model), all.stream()
                        .map(v -> view(model, v, placed.getOrDefault(v.id, List.of()))).toList(),
                grants.of(model.id));
    }

    /**
     * Changes a model's description, visibility or owner; answers the model card. Every replica's gateway sees the
     * change when it commits: a model made private to one tenant is a 404 for every other tenant from then on.
     *
     * @throws ApiException 400 {@code owner_tenant_required} (private without an owner), {@code unknown_owner_tenant};
     *     404 for an unknown model
     */
    @Transactional
    public ModelDetail update(String name, UpdateModelRequest request, Caller caller) {
        ModelEntity model = lockLive(name);
        String description = request.description() == null ? model.description
                : request.description().isBlank() ? null : request.description();
        String visibility = request.visibility() == null ? model.visibility
                : request.visibility().toUpperCase(Locale.ROOT);
        UUID ownerId = model.ownerTenantId;
        String owner = request.ownerTenant() == null ? null : request.ownerTenant().trim();
        if (owner != null) {
            ownerId = owner.isEmpty() ? null : tenants.findBySlug(owner).map(t -> t.id).orElseThrow(() ->
                    ApiException.badRequest("unknown_owner_tenant", "owner_tenant '" + owner
                            + "' is not an existing tenant"));
        }
        if ("PRIVATE".equals(visibility) && ownerId == null) {
            throw ApiException.badRequest("owner_tenant_required", "A private model needs an owner_tenant");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        if (!Objects.equals(description, model.description)) {
            changes.put("description", description);
        }
        if (!visibility.equals(model.visibility)) {
            changes.put("visibility", visibility.toLowerCase(Locale.ROOT));
        }
        if (!Objects.equals(ownerId, model.ownerTenantId)) {
            changes.put("owner_tenant", ownerId == null ? null : owner); // only the request changes the owner
        }
        if (!changes.isEmpty()) {
            UUID formerOwner = model.ownerTenantId;
            model.description = description;
            model.visibility = visibility;
            model.ownerTenantId = ownerId;
            model.updatedAt = now();
            // recorded under the new owner, and under the former one too when it changed: both may read it
            String details = Constraints.json(changes);
            audit.record(caller.actor(), ActorKind.USER, ownerId, "model.updated", "model", model.name, details);
            if (formerOwner != null && !formerOwner.equals(ownerId)) {
                audit.record(caller.actor(), ActorKind.USER, formerOwner, "model.updated", "model", model.name,
                        details);
            }
            announce(model.name);
        }
        return get(name);
    }

    /**
     * Replaces the model's placement policy and plans placement again at once; answers the model card.
     *
     * @throws ApiException 400 {@code invalid_placement} when max_replicas is below min_replicas; 404 for an
     *     unknown model
     */
    public ModelDetail setPlacement(String name, PlacementPolicyRequest request, Caller caller) {
        int min = request.minReplicas() == null ? 1 : request.minReplicas();
        Integer max = request.maxReplicas();
        if (max != null && max < min) {
            throw ApiException.badRequest("invalid_placement", "max_replicas (" + max + ") is below min_replicas ("
                    + min + ")");
        }
        String device = request.device() == null ? "ANY" : request.device().toUpperCase(Locale.ROOT);
        QuarkusTransaction.requiringNew().run(() -> {
            ModelEntity model = lockLive(name);
            model.minReplicas = min;
            model.maxReplicas = max;
            model.deviceRequirement = device;
            model.updatedAt = now();
            audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model.placement_set", "model",
                    model.name, Constraints.json("min_replicas", min, "max_replicas", max, "device", device));
        });
        placement.planQuietly();
        return QuarkusTransaction.requiringNew().call(() -> get(name));
    }

    /**
     * Registers a new version from a streamed .onnx body: store (hashing on the way), validate with ONNX Runtime
     * from the stored file, then number it under a lock on the model row. On any failure no row and no file remain.
     *
     * @param declaredLength the Content-Length, or -1 when the body is chunked
     */
    public VersionView upload(String name, InputStream body, long declaredLength, Caller caller) {
        UUID modelId = QuarkusTransaction.requiringNew().call(() -> find(name).id);
        long cap = config.maxUploadBytes();
        if (declaredLength > cap) {
            throw ApiException.tooLarge("The model file (" + declaredLength + " bytes) is larger than the "
                    + "limit of " + cap + " bytes (aiaas.models.max-upload-bytes)");
        }
        ModelStorage.Received received = storage.receive(body, cap);
        Path placed = null;
        try {
            if (received.sizeBytes() == 0) {
                throw ApiException.badRequest("invalid_model", "The request body is empty; send the .onnx file");
            }
            ModelInspector.Inspection inspection = inspector.inspect(received.path());
            UUID versionId = UUID.randomUUID();
            String relative = storage.place(received.path(), modelId, versionId);
            placed = storage.resolve(relative);
            VersionView created = QuarkusTransaction.requiringNew().call(
                    () -> register(modelId, versionId, received, relative, inspection, caller));
            placed = null; // committed: the file now belongs to the version
            placement.planQuietly(); // workers hear of the new version in their next heartbeat
            return created;
        } finally {
            storage.delete(received.path());
            storage.delete(placed);
        }
    }

    /**
     * Registers (or replaces) a version's example request: it must decode and run on the version, and the answer it
     * gives is stored with it. Workers warm the version up with it from then on.
     *
     * @throws ApiException 400 {@code invalid_example} naming the problem; 404 for an unknown model or version;
     *     409 {@code version_retired}
     */
    public VersionView putExample(String name, String versionText, byte[] body, Caller caller) {
        int version = ModelRefs.parseVersion(versionText);
        ModelVersionEntity target = QuarkusTransaction.requiringNew().call(() -> {
            ModelEntity model = find(name);
            return versions.find(model.id, version).orElseThrow(() -> versionNotFound(name, version));
        });
        if ("RETIRED".equals(target.status)) {
            throw ApiException.conflict("version_retired", "Model '" + name + "' version " + version
                    + " is retired; it takes no example");
        }
        InferenceRequest request;
        try {
            request = codec.decode(body);
        } catch (ProtocolException e) {
            throw ApiException.badRequest("invalid_example", "The example is not a valid inference request: "
                    + e.getMessage());
        }
        byte[] answer = inspector.runExample(storage.resolve(target.storagePath), request, name, version);
        String requestJson = new String(body, StandardCharsets.UTF_8);
        String responseJson = new String(answer, StandardCharsets.UTF_8);
        return QuarkusTransaction.requiringNew().call(() -> {
            ModelEntity model = models.lock(target.modelId).orElseThrow(() -> notFound(name));
            ModelVersionEntity v = versions.find(model.id, version).orElseThrow(() -> versionNotFound(name, version));
            if ("RETIRED".equals(v.status)) { // retired while its example ran: checked again under the model's lock
                throw ApiException.conflict("version_retired", "Model '" + name + "' version " + version
                        + " was retired while its example ran; it takes no example");
            }
            v.exampleRequest = requestJson;
            v.exampleResponse = responseJson;
            v.warmupStatus = "EXAMPLE";
            v.warmupReason = null;
            v.updatedAt = now();
            audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model_version.example_set",
                    "model_version", name + "/" + version, Constraints.json("bytes", body.length));
            announce(name);
            return view(model, v, List.of());
        });
    }

    /** Marks a version RETIRED; retiring twice keeps the first time. Its file stays for audit and rollbacks. */
    @Transactional
    public void retire(String name, String versionText, Caller caller) {
        int version = ModelRefs.parseVersion(versionText);
        ModelEntity model = lockLive(name); // against a rollout set to this version at the same time
        ModelVersionEntity v = versions.find(model.id, version).orElseThrow(() -> versionNotFound(name, version));
        if ("RETIRED".equals(v.status)) {
            return;
        }
        retire(model, v, caller.actor(), ActorKind.USER, Constraints.json("sha256", v.sha256));
    }

    /**
     * Retires a READY version of the locked model: it leaves the rollout and stops being a successor, in this
     * transaction; audited {@code model_version.retired} with {@code details}; every replica hears of it on commit.
     */
    void retire(ModelEntity model, ModelVersionEntity v, String actor, ActorKind kind, String details) {
        v.status = "RETIRED";
        v.retiredAt = now();
        v.updatedAt = v.retiredAt;
        ModelRollouts.forget(model, v.version);
        versions.forgetSuccessor(model.id, v.version);
        audit.record(actor, kind, model.ownerTenantId, "model_version.retired", "model_version",
                model.name + "/" + v.version, details);
        announce(model.name);
    }

    /**
     * Deletes the model from the catalogue: its versions not yet retired are retired (no tenant can call them from
     * this commit on, on every replica, and workers unload them), and its name is free for a new model. The row, its
     * versions and their files stay: usage rows, invoices and the audit log keep naming them.
     *
     * @throws ApiException 404 for an unknown (or already deleted) model
     */
    @Transactional
    public void delete(String name, Caller caller) {
        ModelEntity model = lockLive(name);
        Instant at = now();
        List<Integer> retired = new ArrayList<>();
        for (ModelVersionEntity v : versions.listByModel(model.id)) {
            if (!"RETIRED".equals(v.status)) {
                v.status = "RETIRED";
                v.retiredAt = at;
                v.updatedAt = at;
                retired.add(v.version);
            }
        }
        model.deletedAt = at;
        model.updatedAt = at;
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model.deleted", "model", model.name,
                Constraints.json("id", model.id.toString(), "retired_versions", retired));
        announce(model.name);
    }

    /** What a tenant may call: public models and its own private ones, READY versions only. */
    public List<TenantModelView> listForTenant(TenantAccess access) {
        return visible.cards(access.tenantId(), null);
    }

    /** One model card as a tenant sees it; 404 when the tenant may not call the model (whether or not it exists). */
    public TenantModelView getForTenant(TenantAccess access, String name) {
        if (!ModelRefs.isValidName(name)) {
            throw notFound(name);
        }
        return visible.cards(access.tenantId(), name).stream().findFirst().orElseThrow(() -> notFound(name));
    }

    private VersionView register(UUID modelId, UUID versionId, ModelStorage.Received received, String relative,
            ModelInspector.Inspection inspection, Caller caller) {
        ModelEntity model = models.lock(modelId)
                .orElseThrow(() -> ApiException.notFound("model_not_found", "The model was deleted"));
        ModelVersionEntity v = new ModelVersionEntity();
        v.id = versionId;
        v.modelId = modelId;
        v.version = versions.maxVersion(modelId) + 1;
        v.sha256 = received.sha256();
        v.sizeBytes = received.sizeBytes();
        v.storagePath = relative;
        v.signature = ModelSignatures.toJson(inspection.signature());
        v.warmupStatus = inspection.warmupStatus();
        v.warmupReason = inspection.warmupReason();
        v.status = "READY";
        v.createdAt = now();
        v.updatedAt = v.createdAt;
        versions.persist(v);
        model.updatedAt = v.createdAt;
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model_version.created", "model_version",
                model.name + "/" + v.version, Constraints.json("sha256", v.sha256, "size_bytes", v.sizeBytes,
                        "warmup", v.warmupStatus));
        announce(model.name);
        return view(model, v, List.of());
    }

    /** Every replica's gateway drops its cached view of callable models when this transaction commits. */
    void announce(String model) {
        notifications.publish(ModelsChanged.CHANNEL, model);
        changed.fire(new ModelsChanged(model));
    }

    /** The model row locked for update, 404 {@code model_not_found} when it is unknown or was deleted meanwhile. */
    ModelEntity lockLive(String name) {
        return models.lock(find(name).id).orElseThrow(() -> notFound(name));
    }

    private ModelEntity find(String name) {
        if (!ModelRefs.isValidName(name)) {
            throw notFound(name);
        }
        return models.findByName(name).orElseThrow(() -> notFound(name));
    }

    private Map<UUID, String> tenantSlugs() {
        return tenants.listAll().stream().collect(Collectors.toMap(t -> t.id, t -> t.slug));
    }

    static VersionView view(ModelEntity m, ModelVersionEntity v, List<PlacementView> placed) {
        return new VersionView(v.id, m.name, v.version, v.status.toLowerCase(Locale.ROOT), v.statusReason, v.sha256,
                v.sizeBytes, ModelSignatures.viewOfJson(v.signature), WarmupView.of(v.warmupStatus, v.warmupReason),
                ExampleView.of(v.exampleRequest, v.exampleResponse), v.createdAt, v.retiredAt,
                DeprecationView.of(v.deprecatedAt, v.sunsetAt, v.successorVersion, v.deprecationNote), placed);
    }

    private static PlacementView view(PlacementRow r) {
        return new PlacementView(r.workerId(), r.workerName(), r.workerUrl(), r.workerStatus(), r.workerDraining(),
                r.lastHeartbeatAt(), r.state(), r.reason(), r.memoryBytes(), r.assigned(), r.updatedAt());
    }

    private static PlacementPolicyView policy(ModelEntity m) {
        return new PlacementPolicyView(m.minReplicas, m.maxReplicas, m.deviceRequirement.toLowerCase(Locale.ROOT));
    }

    private static String visibility(ModelEntity m) {
        return m.visibility.toLowerCase(Locale.ROOT);
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("model_not_found", "No model '" + ModelRefs.shorten(name) + "'");
    }

    private static ApiException exists(String name) {
        return ApiException.conflict("model_exists", "A model named '" + name + "' already exists");
    }

    private static ApiException versionNotFound(String name, int version) {
        return ApiException.notFound("version_not_found", "Model '" + name + "' has no version " + version);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
