package io.aiaas.platform.plan.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.plan.service.ChoosePlanRequest;
import io.aiaas.platform.plan.service.PlanService;
import io.aiaas.platform.plan.service.PlanStatusService;
import io.aiaas.platform.plan.service.PlanView;
import io.aiaas.platform.plan.service.TenantPlanService;
import io.aiaas.platform.plan.service.TenantPlanStatus;
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
 * Tenant API: the tenant's plan, billing period, and quota and budget state, for any member; the self-service plans
 * it may move to, and a tenant admin's choice among them (from the next billing period, or at once for a bigger plan;
 * docs/plans.md).
 */
@Path("/api/v1/tenants/{slug}/plan")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Plan (tenant)")
public class TenantPlanResource {

    private final AccessService access;
    private final PlanStatusService service;
    private final PlanService plans;
    private final TenantPlanService choices;

    TenantPlanResource(AccessService access, PlanStatusService service, PlanService plans,
            TenantPlanService choices) {
        this.access = access;
        this.service = service;
        this.plans = plans;
        this.choices = choices;
    }

    @GET
    @Operation(operationId = "getPlan")
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

    @GET
    @Path("choices")
    @Operation(operationId = "listPlanChoices")
    @APIResponse(responseCode = "200", description = "The self-service plans the tenant may move to (not archived),"
            + " by name, as the admin API shows plans")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<PlanView> choices(@RestPath String slug) {
        access.requireMember(slug);
        return plans.selfServiceChoices();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "choosePlan",
            summary = "Move the tenant to a self-service plan from the start of its next billing period, or at once"
            + " with \"effective\": \"now\" (same currency, a fee not lower); the plan it is on cancels a pending"
            + " choice")
    @APIResponse(responseCode = "200", description = "The plan state: plan the one in effect (the chosen one after a"
            + " change at once), next_plan the change now pending (or null)")
    @APIResponse(responseCode = "400", description = "unknown_plan (not a plan this tenant can choose), invalid_json,"
            + " validation_failed",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: a member who is not a tenant admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "plan_change_scheduled: a platform admin scheduled a change;"
            + " plan_change_next_period: a change at once to a plan of a lower fee or another currency",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantPlanStatus choose(@RestPath String slug, @Valid @NotNull ChoosePlanRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        choices.choose(tenant.tenantId(), tenant.slug(), body.planId(), body.now(), tenant.caller());
        return service.status(tenant.tenantId());
    }
}
