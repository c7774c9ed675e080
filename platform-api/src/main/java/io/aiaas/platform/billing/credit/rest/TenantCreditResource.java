package io.aiaas.platform.billing.credit.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.billing.credit.service.CreditService;
import io.aiaas.platform.billing.credit.service.TenantCredits;
import io.aiaas.platform.common.error.Problem;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Tenant API: the credit a tenant was given and what its invoices may still draw on. */
@Path("/api/v1/tenants/{slug}/credits")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices")
public class TenantCreditResource {

    private final AccessService access;
    private final CreditService service;

    TenantCreditResource(AccessService access, CreditService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "getCredits")
    @APIResponse(responseCode = "200", description = "Balances per currency (active grants) and every grant, newest"
            + " first")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantCredits credits(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.tenantCredits(tenant);
    }
}
