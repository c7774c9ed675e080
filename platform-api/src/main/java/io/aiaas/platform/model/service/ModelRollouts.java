package io.aiaas.platform.model.service;

import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelRepository;
import io.aiaas.platform.model.persistence.ModelVersionEntity;
import io.aiaas.platform.model.persistence.ModelVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A model's rollout: which version takes the calls that name none (a stable version instead of the newest one), and
 * a canary version that takes a share of them, so that a new version can be uploaded without taking traffic, tried
 * on a few percent, then promoted or dropped. The gateway reads it with the model ({@link VisibleModels}); a change
 * reaches every replica through the same notification as a new version. No HTTP in here.
 */
@ApplicationScoped
public class ModelRollouts {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelService service;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ModelsChanged> changed;

    ModelRollouts(ModelRepository models, ModelVersionRepository versions, ModelService service, AuditLog audit,
            ChangeNotifications notifications, Event<ModelsChanged> changed) {
        this.models = models;
        this.versions = versions;
        this.service = service;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    /** The model's rollout as the admin API shows it. */
    static RolloutView view(ModelEntity model) {
        return new RolloutView(model.stableVersion, model.canaryVersion, model.canaryPercent, model.canaryBy,
                model.canarySince, model.rollbackErrorPercent, model.rollbackWindow,
                model.rolledBackVersion == null ? null : new RolloutView.Rollback(model.rolledBackVersion,
                        model.rolledBackAt, model.rolledBackCalls, model.rolledBackFailures), model.shadowVersion,
                model.shadowPercent);
    }

    /**
     * Replaces the model's rollout; answers the model card.
     *
     * @throws ApiException 400 {@code invalid_rollout} (a canary without its percent or the other way round, the
     *     same version as stable and canary, an assignment or a rollback without a canary, a window without a
     *     rollback percent); 404 {@code model_not_found}, {@code version_not_found}; 409
     *     {@code version_retired}
     */
    @Transactional
    public ModelDetail set(String name, RolloutRequest request, Caller caller) {
        if ((request.canaryVersion() == null) != (request.canaryPercent() == null)) {
            throw ApiException.badRequest("invalid_rollout", "canary_version and canary_percent come together: give"
                    + " both for a canary, neither for none");
        }
        if (request.canaryVersion() != null && request.canaryVersion().equals(request.stableVersion())) {
            throw ApiException.badRequest("invalid_rollout", "version " + request.canaryVersion()
                    + " cannot be both the stable version and the canary");
        }
        boolean canary = request.canaryVersion() != null;
        if (!canary && (request.canaryBy() != null || request.rollbackErrorPercent() != null)) {
            throw ApiException.badRequest("invalid_rollout", "canary_by and rollback_error_percent are a canary's:"
                    + " give them with canary_version and canary_percent");
        }
        if (request.rollbackWindow() != null && request.rollbackErrorPercent() == null) {
            throw ApiException.badRequest("invalid_rollout", "rollback_window is the window of an automatic rollback:"
                    + " give it with rollback_error_percent");
        }
        if ((request.shadowVersion() == null) != (request.shadowPercent() == null)) {
            throw ApiException.badRequest("invalid_rollout", "shadow_version and shadow_percent come together: give"
                    + " both for a shadow, neither for none");
        }
        if (request.shadowVersion() != null && (request.shadowVersion().equals(request.stableVersion())
                || request.shadowVersion().equals(request.canaryVersion()))) {
            throw ApiException.badRequest("invalid_rollout", "version " + request.shadowVersion() + " cannot be the"
                    + " shadow and also the stable version or the canary: a shadow's answers are never sent");
        }
        ModelEntity model = models.findByName(name).flatMap(m -> models.lock(m.id))
                .orElseThrow(() -> ApiException.notFound("model_not_found", "No model '" + ModelRefs.shorten(name)
                        + "'"));
        callable(model, name, request.stableVersion());
        callable(model, name, request.canaryVersion());
        callable(model, name, request.shadowVersion());
        model.stableVersion = request.stableVersion();
        model.canaryVersion = request.canaryVersion();
        model.canaryPercent = request.canaryPercent();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        model.canaryBy = canary ? (request.canaryBy() == null ? "call" : request.canaryBy()) : null;
        model.canarySince = canary ? now : null; // a new window of judged calls on every replica
        model.rollbackErrorPercent = request.rollbackErrorPercent();
        model.rollbackWindow = request.rollbackErrorPercent() == null ? null
                : request.rollbackWindow() == null ? RolloutRequest.DEFAULT_WINDOW : request.rollbackWindow();
        model.rolledBackVersion = null; // seen: the admin set the rollout since
        model.rolledBackAt = null;
        model.rolledBackCalls = null;
        model.rolledBackFailures = null;
        model.shadowVersion = request.shadowVersion();
        model.shadowPercent = request.shadowPercent();
        model.updatedAt = now;
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model.rollout_changed", "model",
                model.name, Constraints.json("stable_version", request.stableVersion(), "canary_version",
                        request.canaryVersion(), "canary_percent", request.canaryPercent(), "canary_by",
                        model.canaryBy, "rollback_error_percent", model.rollbackErrorPercent, "rollback_window",
                        model.rollbackWindow, "shadow_version", model.shadowVersion, "shadow_percent",
                        model.shadowPercent));
        notifications.publish(ModelsChanged.CHANNEL, model.name);
        changed.fire(new ModelsChanged(model.name));
        return service.get(model.name);
    }

    /**
     * The platform's rollback of a canary that failed too often ({@link CanaryWatch}): the canary is cleared, the
     * stable version (or the newest served) takes its calls again on every replica, and the model keeps what happened
     * until an admin sets the rollout again. Only while the canary is still the one judged (its version, set at
     * {@code since}): another replica may have rolled it back first, or an admin changed it meanwhile.
     *
     * @return whether this call rolled it back
     */
    @Transactional
    public boolean rollBack(String name, int version, Instant since, int calls, int failures, int errorPercent) {
        ModelEntity model = models.findByName(name).flatMap(m -> models.lock(m.id)).orElse(null);
        if (model == null || model.canaryVersion == null || model.canaryVersion != version
                || !since.equals(model.canarySince)) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        forget(model, version);
        model.rolledBackVersion = version;
        model.rolledBackAt = now;
        model.rolledBackCalls = calls;
        model.rolledBackFailures = failures;
        model.updatedAt = now;
        audit.record("system", ActorKind.SYSTEM, model.ownerTenantId, "model.canary_rolled_back", "model", model.name,
                Constraints.json("canary_version", version, "calls", calls, "failures", failures,
                        "rollback_error_percent", errorPercent, "canary_since", since.toString()));
        notifications.publish(ModelsChanged.CHANNEL, model.name);
        changed.fire(new ModelsChanged(model.name));
        return true;
    }

    /**
     * A retired version leaves the rollout of its model (in the retirement's transaction): the calls it took go to
     * the stable version, or the newest served one, again.
     */
    static void forget(ModelEntity model, int version) {
        if (model.stableVersion != null && model.stableVersion == version) {
            model.stableVersion = null;
        }
        if (model.canaryVersion != null && model.canaryVersion == version) {
            model.canaryVersion = null;
            model.canaryPercent = null;
            model.canaryBy = null;
            model.canarySince = null;
            model.rollbackErrorPercent = null;
            model.rollbackWindow = null;
        }
        if (model.shadowVersion != null && model.shadowVersion == version) {
            model.shadowVersion = null;
            model.shadowPercent = null;
        }
    }

    private void callable(ModelEntity model, String name, Integer version) {
        if (version == null) {
            return;
        }
        ModelVersionEntity v = versions.find(model.id, version).orElseThrow(() -> ApiException.notFound(
                "version_not_found", "Model '" + name + "' has no version " + version));
        if (!"READY".equals(v.status)) {
            throw ApiException.conflict("version_retired", "Model '" + name + "' version " + version
                    + " is retired; a rollout takes versions that can be called");
        }
    }
}
