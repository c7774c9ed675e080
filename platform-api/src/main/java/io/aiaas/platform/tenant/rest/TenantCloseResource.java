package io.aiaas.platform.tenant.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.tenant.service.CloseTenantRequest;
import io.aiaas.platform.tenant.service.TenantService;
import io.aiaas.platform.tenant.service.TenantView;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Tenant API to close a tenant: its admins (and platform admins) end it, for good. */
@Path("/api/v1/tenants/{slug}/close")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenant")
public class TenantCloseResource {

    private final AccessService access;
    private final TenantService service;

    TenantCloseResource(AccessService access, TenantService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Operation(operationId = "closeTenant",
            summary = "Close the tenant for good: its keys are revoked on every replica, its plan ends now (the"
            + " period's invoice still comes, with its fee), nothing of it changes any more; its invoices, usage and"
            + " audit log stay readable by its members")
    @APIResponse(responseCode = "200", description = "The tenant, closed")
    @APIResponse(responseCode = "400", description = "validation_failed (no confirm), confirmation_mismatch (confirm is"
            + " not the tenant's slug)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins close a tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tenant_closed: closed already",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantView close(@RestPath String slug, @Valid @NotNull CloseTenantRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.close(tenant.slug(), body.confirm(), tenant.caller());
    }
}
