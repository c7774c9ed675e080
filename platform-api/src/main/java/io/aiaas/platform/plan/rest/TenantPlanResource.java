package io.aiaas.platform.plan.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.plan.service.PlanStatusService;
import io.aiaas.platform.plan.service.TenantPlanStatus;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Tenant API: the tenant's plan, billing period, and quota and budget state, for any member. */
@Path("/api/v1/tenants/{slug}/plan")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Plan (tenant)")
public class TenantPlanResource {

    private final AccessService access;
    private final PlanStatusService service;

    TenantPlanResource(AccessService access, PlanStatusService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The plan in effect now (null when the tenant has none), the"
            + " current billing period, the next plan change, and this period's usage against each quota and the"
            + " budget")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantPlanStatus get(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.status(tenant.tenantId());
    }
}
