package io.aiaas.platform.gateway;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.dispatch.RoutingTable;
import io.aiaas.platform.model.service.ModelRefs;
import io.aiaas.platform.model.service.VisibleModels;
import io.aiaas.platform.model.service.VisibleModels.VisibleModel;
import io.aiaas.platform.model.service.VisibleModels.VisibleVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.TreeSet;

/**
 * Which model and version a gateway call goes to: the model as the caller's tenant sees it, the key's model list, a
 * named version, else the tenant's pin, the model's rollout (stable, canary) or the newest version a worker serves.
 * No HTTP in here.
 */
@ApplicationScoped
class CallModels {

    private final VisibleModels catalog;
    private final RoutingTable routes;

    CallModels(VisibleModels catalog, RoutingTable routes) {
        this.catalog = catalog;
        this.routes = routes;
    }

    /**
     * The model a call names, as its tenant may see it, and the version it goes to (set on the call: id, name,
     * version; a canary marked for its judge; the version's sunset when the call named it or its tenant pinned it).
     *
     * @throws ApiException 404 {@code model_not_found} (another tenant's private model too, never 403),
     *     {@code version_not_found}; 403 {@code model_not_allowed} (the key's model list); 503
     *     {@code pinned_version_unavailable}
     */
    VisibleModel resolve(MeteredCall call, String name, String version) {
        call.askedFor(name, null);
        Integer requested = version == null ? null : ModelRefs.parseVersion(version);
        call.modelVersion = requested;
        // Another tenant's private model looks exactly like a missing one: 404, never 403.
        VisibleModel model = catalog.find(call.caller.tenantId(), name).orElseThrow(() -> ApiException.notFound(
                "model_not_found", "model " + ModelRefs.shorten(name) + " not found"));
        call.modelId = model.id();
        call.modelName = model.name();
        if (!call.caller.reaches(model.name())) {
            throw ApiException.forbidden("model_not_allowed", "this API key may call only "
                    + new TreeSet<>(call.caller.models()) + "; ask a tenant admin for a key that includes "
                    + model.name());
        }
        VisibleVersion chosen = requested != null ? model.version(requested).orElseThrow(() -> ApiException.notFound(
                "version_not_found", "model " + name + " has no ready version " + requested))
                : pinnedOrServing(call, model);
        call.modelVersionId = chosen.id();
        call.modelVersion = chosen.version();
        if (requested != null || model.pinnedVersion() != null) {
            // only a caller that chose the version must act before its sunset; others move on with the rollout
            call.deprecation = chosen.deprecation();
        }
        return model;
    }

    /**
     * The version for a call that names none: the tenant's pin (503 {@code pinned_version_unavailable} when no
     * worker can serve it, or it was retired; metadata is still answered), else the model's rollout (a canary takes
     * its percent of the calls, drawn per call or per tenant), else the newest one a worker serves. An inference call
     * sent to a canary is marked for the canary's judge.
     */
    private VisibleVersion pinnedOrServing(MeteredCall call, VisibleModel model) {
        VisibleModels.Canary canary = model.canary();
        int draw = canary == null ? 100 : canary.draw(call.caller.tenantId(), model.name());
        VisibleVersion chosen = model.unnamed(routes::isServing, draw).orElseThrow(() -> ApiException.unavailable(
                "pinned_version_unavailable", "model " + model.name() + " version " + model.pinnedVersion()
                        + ", which this tenant pinned, is retired; change the pin (PUT .../models/" + model.name()
                        + "/settings) or name a version"));
        if (model.pinnedVersion() != null && call.endpoint != MeteredCall.Endpoint.METADATA
                && !routes.isServing(chosen.id())) {
            throw ApiException.unavailable("pinned_version_unavailable", "model " + model.name() + " version "
                    + chosen.version() + ", which this tenant pinned, is not ready on any worker; retry shortly, or "
                    + "name another version");
        }
        if (canary != null && model.pinnedVersion() == null && chosen.version() == canary.version()
                && call.endpoint == MeteredCall.Endpoint.INFER) {
            call.canary = canary;
        }
        return chosen;
    }
}
