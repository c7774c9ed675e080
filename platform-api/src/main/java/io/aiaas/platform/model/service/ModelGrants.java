package io.aiaas.platform.model.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelGrantRepository;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;

/**
 * Who besides its owner may call a private model: a platform admin shares it with a tenant (a grant) or takes that
 * back. The rule that reads the grants is {@link VisibleModels}'s; a change reaches every replica's gateway through
 * the same notification as a new version, and the tenant's webhook hears of it. No HTTP in here.
 */
@ApplicationScoped
public class ModelGrants {

    /** Type of the webhook event queued for a tenant a model was shared with. */
    public static final String GRANTED_EVENT = "model.access_granted";
    /** Type of the webhook event queued for a tenant whose grant was revoked. */
    public static final String REVOKED_EVENT = "model.access_revoked";

    private final ModelGrantRepository grants;
    private final ModelService service;
    private final AuditLog audit;
    private final Jdbc jdbc;

    ModelGrants(ModelGrantRepository grants, ModelService service, AuditLog audit, Jdbc jdbc) {
        this.grants = grants;
        this.jdbc = jdbc;
        this.service = service;
        this.audit = audit;
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
            tell(tenant, model, GRANTED_EVENT);
            service.announce(model.name);
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
            tell(tenant, model, REVOKED_EVENT);
            service.announce(model.name);
        }
    }

    /**
     * The tenant's webhook hears of it, in this transaction: {@code data.model}, its {@code visibility}, the model's
     * inference path ({@code url}) and card ({@code card}).
     */
    private void tell(TenantAccess tenant, ModelEntity model, String type) {
        ObjectNode data = WebhookOutbox.data();
        data.put("model", model.name);
        data.put("visibility", model.visibility.toLowerCase(Locale.ROOT));
        data.put("url", "/v2/models/" + model.name);
        data.put("card", "/api/v1/tenants/" + tenant.slug() + "/models/" + model.name);
        jdbc.withConnection(c -> WebhookOutbox.enqueueIfConfigured(c, tenant.tenantId(), tenant.slug(), type,
                Instant.now(), data));
    }
}
