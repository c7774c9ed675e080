package io.aiaas.platform.model.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.model.service.ModelService;
import io.aiaas.platform.model.service.TenantModelView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Tenant API: the models a tenant may call. */
@Path("/api/v1/tenants/{slug}/models")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models (tenant)")
public class TenantModelResource {

    @Inject
    AccessService access;

    @Inject
    ModelService service;

    @GET
    @APIResponse(responseCode = "200", description = "Public models and the tenant's private ones, READY versions only")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<TenantModelView> list(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.listForTenant(tenant);
    }
}
