package io.aiaas.platform.tenant.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.tenant.service.TenantBudgetRequest;
import io.aiaas.platform.tenant.service.TenantService;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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

/**
 * Tenant API: the tenant's admins cap what the whole tenant spends in a billing period (members read the cap and what
 * is left of it in {@code GET .../plan}, as {@code spending_limit}).
 */
@Path("/api/v1/tenants/{slug}/budget")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Plans")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantBudgetResource {

    private final AccessService access;
    private final TenantService tenants;

    TenantBudgetResource(AccessService access, TenantService tenants) {
        this.access = access;
        this.tenants = tenants;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setTenantBudget", summary = "Cap the tenant's spend per billing period (micro-units of"
            + " its plan's currency; null: no cap of its own): calls beyond the tighter of it and the plan's hard"
            + " budget are refused with 429 tenant_budget_exceeded until the next period")
    @APIResponse(responseCode = "200", description = "The tenant's cap now")
    @APIResponse(responseCode = "400", description = "validation_failed (monthly_budget_micros missing, not positive"
            + " or above 10^15), invalid_json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not an admin of the tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tenant_closed",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantBudgetRequest set(@RestPath String slug, @Valid @NotNull TenantBudgetRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return new TenantBudgetRequest(tenants.setBudget(tenant.slug(), body.monthlyBudgetMicros(), tenant.caller()));
    }
}
