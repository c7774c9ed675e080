package io.aiaas.console.admin;

import io.aiaas.console.admin.AdminModelsResource.Templates;
import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.NewModel;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.web.FormError;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * Assembles the admin page of one model ({@code templates/AdminModelsResource/detail.html}, rendered through
 * {@link AdminModelsResource.Templates}) for the resources whose forms are on it: {@link AdminModelsResource}
 * (settings, versions, rollout, sunsets) and {@link AdminModelGrantsResource} (the tenants it is shared with).
 */
final class ModelDetailPage {

    private final AdminApi api;

    ModelDetailPage(AdminApi api) {
        this.api = api;
    }

    /**
     * The model page; its settings and rollout forms hold what was typed when it was refused, else the model's values.
     * The warnings of a canary or a shadow whose signature differs are the rollout's as it is, not as typed.
     *
     * @param typed the settings form as typed after a refusal, else null
     * @param typedRollout the rollout form as typed after a refusal, else null
     * @param sunsets the sunsets section, holding a refused sunset form or cancel button
     */
    TemplateInstance render(ModelDetail model, FormError error, NewModel typed, RolloutForm typedRollout,
            SunsetSection sunsets) {
        List<Tenant> tenants = api.tenants();
        return render(model, tenants, error, typed, typedRollout, sunsets, GrantSection.of(model, tenants));
    }

    /**
     * The model page after a refused grant form or revoke button.
     *
     * @param chosen the tenant chosen in the grant form when it was refused, else null
     * @param revoked the tenant whose revoke button was refused, else null
     */
    TemplateInstance render(ModelDetail model, FormError error, String chosen, String revoked) {
        List<Tenant> tenants = api.tenants();
        return render(model, tenants, error, null, null, SunsetSection.of(model),
                new GrantSection(model, tenants, chosen, revoked));
    }

    private static TemplateInstance render(ModelDetail model, List<Tenant> tenants, FormError error, NewModel typed,
            RolloutForm typedRollout, SunsetSection sunsets, GrantSection grants) {
        NewModel form = typed != null ? typed : new NewModel(model.name(), model.description(), model.visibility(),
                model.ownerTenant());
        RolloutForm rollout = typedRollout != null ? typedRollout : RolloutForm.of(model.rollout());
        return Templates.detail(model, tenants, form, rollout, error, SignatureDiff.canary(model),
                SignatureDiff.shadow(model), sunsets, grants);
    }
}
