package io.aiaas.platform.billing.profile.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.billing.profile.service.BillingProfileRequest;
import io.aiaas.platform.billing.profile.service.BillingProfileService;
import io.aiaas.platform.billing.profile.service.BillingProfileView;
import io.aiaas.platform.common.error.Problem;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Tenant API: who the tenant's invoices are addressed to (members read it, its admins change it). */
@Path("/api/v1/tenants/{slug}/billing-profile")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class BillingProfileResource {

    private final AccessService access;
    private final BillingProfileService service;

    BillingProfileResource(AccessService access, BillingProfileService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "getBillingProfile")
    @APIResponse(responseCode = "200", description = "The profile; {} when it was never set")
    public BillingProfileView get(@RestPath String slug) {
        return service.get(access.requireMember(slug));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setBillingProfile",
            summary = "Set who the tenant's invoices are addressed to; invoices created from now on carry it,"
            + " those already created keep what they carry")
    @APIResponse(responseCode = "200", description = "The profile")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not an admin of the tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tenant_closed",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public BillingProfileView put(@RestPath String slug, @Valid @NotNull BillingProfileRequest body) {
        return service.put(access.requireTenantAdmin(slug), body);
    }
}
