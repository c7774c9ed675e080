package io.aiaas.platform.model.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.dispatch.RoutingTable;
import io.aiaas.platform.model.service.VisibleModels.VisibleModel;
import io.aiaas.platform.model.service.VisibleModels.VisibleVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's choice of version for calls that name none: a pinned version, or the latest one a worker serves (the
 * default). The gateway reads the pin with the model ({@link VisibleModels}); a change reaches every replica's cache
 * through the same notification as a new version.
 */
@ApplicationScoped
public class TenantModelSettings {

    private static final String LATEST = "latest";

    private final EntityManager em;
    private final VisibleModels visible;
    private final RoutingTable routes;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ModelsChanged> changed;

    TenantModelSettings(EntityManager em, VisibleModels visible, RoutingTable routes, AuditLog audit,
            ChangeNotifications notifications, Event<ModelsChanged> changed) {
        this.em = em;
        this.visible = visible;
        this.routes = routes;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    /** The tenant's settings for the model; 404 {@code model_not_found} when the tenant may not call it. */
    @Transactional
    public ModelSettingsView get(TenantAccess tenant, String name) {
        UUID modelId = modelOf(tenant, name);
        List<?> pinned = em.createNativeQuery("SELECT pinned_version FROM tenant_model_settings "
                + "WHERE tenant_id = :tenant AND model_id = :model AND pinned_version IS NOT NULL")
                .setParameter("tenant", tenant.tenantId()).setParameter("model", modelId).getResultList();
        return view(tenant, name, pinned.isEmpty() ? null : ((Number) pinned.get(0)).intValue());
    }

    /**
     * Pins a version or follows the latest again.
     *
     * @throws ApiException 400 {@code invalid_version} when version is neither a version number nor "latest";
     *     404 {@code model_not_found}, {@code version_not_found}; 409 {@code version_retired}
     */
    @Transactional
    public ModelSettingsView put(TenantAccess tenant, String name, ModelSettingsRequest request) {
        UUID modelId = modelOf(tenant, name);
        Integer pin = parse(request.version());
        if (pin != null) {
            List<?> status = em.createNativeQuery("SELECT status FROM model_versions WHERE model_id = :model "
                    + "AND version = :version").setParameter("model", modelId).setParameter("version", pin)
                    .getResultList();
            if (status.isEmpty()) {
                throw ApiException.notFound("version_not_found", "Model '" + name + "' has no version " + pin);
            }
            if (!"READY".equals(status.get(0))) {
                throw ApiException.conflict("version_retired", "Model '" + name + "' version " + pin
                        + " is retired; pin a version that can be called");
            }
        }
        em.createNativeQuery("""
                INSERT INTO tenant_model_settings (tenant_id, model_id, pinned_version, updated_at)
                VALUES (:tenant, :model, CAST(:pin AS integer), now())
                ON CONFLICT (tenant_id, model_id) DO UPDATE SET pinned_version = EXCLUDED.pinned_version,
                    updated_at = now()""")
                .setParameter("tenant", tenant.tenantId()).setParameter("model", modelId)
                .setParameter("pin", pin).executeUpdate();
        audit.record(tenant.caller().actor(), ActorKind.USER, tenant.tenantId(), "model.version_pinned", "model",
                name, Constraints.json("version", pin == null ? LATEST : pin));
        notifications.publish(ModelsChanged.CHANNEL, name);
        changed.fire(new ModelsChanged(name));
        return view(tenant, name, pin);
    }

    private ModelSettingsView view(TenantAccess tenant, String name, Integer pin) {
        Optional<VisibleModel> model = visible.findUncached(tenant.tenantId(), name);
        Optional<VisibleVersion> serving = model.flatMap(m -> pin != null ? m.version(pin)
                : m.unnamed(routes::isServing));
        return new ModelSettingsView(name, pin == null ? LATEST : pin, serving.map(VisibleVersion::version)
                .orElse(null), serving.map(v -> routes.isServing(v.id())).orElse(false));
    }

    /** The model's id when the tenant may call it ({@link VisibleModels}'s rule). */
    private UUID modelOf(TenantAccess tenant, String name) {
        return visible.callableModelId(tenant.tenantId(), name).orElseThrow(() -> notFound(name));
    }

    private static Integer parse(JsonNode version) {
        if (version.isTextual() && LATEST.equals(version.asText())) {
            return null;
        }
        if (version.isIntegralNumber() && version.canConvertToInt() && version.asInt() > 0) {
            return version.asInt();
        }
        throw ApiException.badRequest("invalid_version", "version must be a version number (a positive integer) "
                + "or \"latest\"");
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("model_not_found", "No model '" + ModelRefs.shorten(name) + "'");
    }
}
