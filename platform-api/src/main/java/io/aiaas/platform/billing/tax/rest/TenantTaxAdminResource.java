package io.aiaas.platform.billing.tax.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.tax.service.TaxTreatment;
import io.aiaas.platform.billing.tax.service.Taxes;
import io.aiaas.platform.common.error.Problem;
import jakarta.annotation.security.RolesAllowed;
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

/** Admin API: a tenant's tax treatment, which its invoices follow from then on (platform-admin). */
@Path("/admin/v1/tenants/{slug}/tax")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantTaxAdminResource {

    private final AccessService access;
    private final Taxes taxes;

    TenantTaxAdminResource(AccessService access, Taxes taxes) {
        this.access = access;
        this.taxes = taxes;
    }

    @GET
    @Operation(operationId = "adminGetTenantTax", summary = "A tenant's tax treatment")
    @APIResponse(responseCode = "200", description = "standard, exempt or reverse_charge, and its note")
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TaxTreatment treatment(@RestPath String slug) {
        access.requirePlatformAdmin();
        return taxes.treatment(access.requireMember(slug));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminSetTenantTax", summary = "Set a tenant's tax treatment; invoices made from then on"
            + " follow it")
    @APIResponse(responseCode = "200", description = "The treatment")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TaxTreatment setTreatment(@RestPath String slug, @Valid @NotNull TaxTreatment body) {
        Caller caller = access.requirePlatformAdmin();
        return taxes.setTreatment(access.requireMember(slug), body, caller);
    }
}
