package io.aiaas.platform.model.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.model.service.ModelService;
import io.aiaas.platform.model.service.ModelSettingsRequest;
import io.aiaas.platform.model.service.ModelSettingsView;
import io.aiaas.platform.model.service.TenantModelSettings;
import io.aiaas.platform.model.service.TenantModelView;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Tenant API: the models a tenant may call, as model cards (any member), and the tenant's choice of version for
 * calls that name none (tenant admins change it).
 */
@Path("/api/v1/tenants/{slug}/models")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models (tenant)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantModelResource {

    private final AccessService access;
    private final ModelService service;
    private final TenantModelSettings settings;

    TenantModelResource(AccessService access, ModelService service, TenantModelSettings settings) {
        this.access = access;
        this.service = service;
        this.settings = settings;
    }

    @GET
    @Operation(operationId = "listModels")
    @APIResponse(responseCode = "200", description = "Public models and the tenant's private ones, READY versions "
            + "only, each with signature, warm-up and example request and answer")
    public List<TenantModelView> list(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.listForTenant(tenant);
    }

    @GET
    @Path("{name}")
    @Operation(operationId = "getModel")
    @APIResponse(responseCode = "200", description = "The model card: READY versions with signature, warm-up and "
            + "example request and answer")
    @APIResponse(responseCode = "404", description = "model_not_found: no such model the tenant may call (another "
            + "tenant's private model looks the same)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantModelView get(@RestPath String slug, @RestPath String name) {
        TenantAccess tenant = access.requireMember(slug);
        return service.getForTenant(tenant, name);
    }

    @GET
    @Path("{name}/settings")
    @Operation(operationId = "getModelSettings")
    @APIResponse(responseCode = "200", description = "The version calls naming none go to: a pinned number or "
            + "\"latest\" (the newest version a worker serves), with the version that is now and whether it is ready")
    @APIResponse(responseCode = "404", description = "model_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ModelSettingsView getSettings(@RestPath String slug, @RestPath String name) {
        TenantAccess tenant = access.requireMember(slug);
        return settings.get(tenant, name);
    }

    @PUT
    @Path("{name}/settings")
    @Operation(operationId = "setModelSettings")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Saved: {\"version\": 3} pins calls that name no version to "
            + "version 3 (503 pinned_version_unavailable while no worker serves it), {\"version\": \"latest\"} "
            + "follows the newest version a worker serves")
    @APIResponse(responseCode = "400", description = "invalid_version: neither a positive integer nor \"latest\"",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not an admin of the tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found, version_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "version_retired: a retired version cannot be pinned",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ModelSettingsView putSettings(@RestPath String slug, @RestPath String name,
            @Valid @NotNull ModelSettingsRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return settings.put(tenant, name, body);
    }
}
