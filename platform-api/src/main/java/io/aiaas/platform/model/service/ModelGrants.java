package io.aiaas.platform.model.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelGrantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.Locale;

/**
 * Who besides its owner may call a private model: a platform admin shares it with a tenant (a grant) or takes that
 * back. The rule that reads the grants is {@link VisibleModels}'s; a change reaches every replica's gateway through
 * the same notification as a new version. No HTTP in here.
 */
@ApplicationScoped
public class ModelGrants {

    private final ModelGrantRepository grants;
    private final ModelService service;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<ModelsChanged> changed;

    ModelGrants(ModelGrantRepository grants, ModelService service, AuditLog audit, ChangeNotifications notifications,
            Event<ModelsChanged> changed) {
        this.grants = grants;
        this.service = service;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
    }

    /**
     * Shares the model with the tenant (again: nothing changes, the first grant stays); answers the model card.
     *
     * @throws ApiException 400 {@code invalid_grant} (the tenant owns the model, or is closed); 404
     *     {@code model_not_found}
     */
    @Transactional
    public ModelDetail grant(String name, TenantAccess tenant, Caller caller) {
        ModelEntity model = service.lockLive(name);
        if (tenant.tenantId().equals(model.ownerTenantId)) {
            throw ApiException.badRequest("invalid_grant", "Tenant " + tenant.slug() + " owns model " + model.name
                    + "; it needs no grant");
        }
        if (tenant.closed()) {
            throw ApiException.badRequest("invalid_grant", "Tenant " + tenant.slug() + " is closed");
        }
        if (grants.add(model.id, tenant.tenantId(), caller.actor())) {
            audit.record(caller.actor(), ActorKind.USER, tenant.tenantId(), "model.granted", "model", model.name,
                    Constraints.json("tenant", tenant.slug(), "visibility", model.visibility.toLowerCase(Locale.ROOT)));
            announce(model.name);
        }
        return service.get(model.name);
    }

    /**
     * Takes the tenant's grant back: from this commit on its calls to the model are 404 on every replica (nothing
     * happens when it had none).
     *
     * @throws ApiException 404 {@code model_not_found}
     */
    @Transactional
    public void revoke(String name, TenantAccess tenant, Caller caller) {
        ModelEntity model = service.lockLive(name);
        if (grants.remove(model.id, tenant.tenantId())) {
            audit.record(caller.actor(), ActorKind.USER, tenant.tenantId(), "model.grant_revoked", "model",
                    model.name, Constraints.json("tenant", tenant.slug()));
            announce(model.name);
        }
    }

    private void announce(String model) {
        notifications.publish(ModelsChanged.CHANNEL, model);
        changed.fire(new ModelsChanged(model));
    }
}
