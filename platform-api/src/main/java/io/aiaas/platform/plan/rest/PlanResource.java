package io.aiaas.platform.plan.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.plan.service.PlanService;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.plan.service.PlanView;
import io.aiaas.platform.plan.service.SelfServiceRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API for plans: what tenants pay and which limits they get (realm role platform-admin). See docs/plans.md. */
@Path("/admin/v1/plans")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Plans (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class PlanResource {

    private final AccessService access;
    private final PlanService service;

    PlanResource(AccessService access, PlanService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Operation(operationId = "adminCreatePlan")
    @APIResponse(responseCode = "201", description = "Created; Location names the plan")
    @APIResponse(responseCode = "400", description = "validation_failed (a field breaks its rule) or invalid_plan"
            + " (tiers out of order, two entries for one model or quota, unknown currency); violations name the fields",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "plan_exists: the name is taken",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<PlanView> create(@Valid @NotNull PlanSpec body, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        PlanView created = service.create(body, caller);
        return Created.at(uri, created.id().toString(), created);
    }

    @GET
    @Operation(operationId = "adminListPlans")
    @APIResponse(responseCode = "200", description = "All plans by name")
    public List<PlanView> list() {
        access.requirePlatformAdmin();
        return service.list();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "adminGetPlan")
    @APIResponse(responseCode = "200", description = "The plan")
    @APIResponse(responseCode = "404", description = "plan_not_found (also for an id that is not a UUID)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public PlanView get(@RestPath String id) {
        access.requirePlatformAdmin();
        return service.get(id);
    }

    @PUT
    @Path("{id}")
    @Operation(operationId = "adminReplacePlan")
    @APIResponse(responseCode = "200", description = "The plan with its new definition and revision (unchanged when"
            + " the body equals the stored definition)")
    @APIResponse(responseCode = "400", description = "validation_failed or invalid_plan, as for POST",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "plan_exists (the new name is taken) or currency_locked (tenants"
            + " are or were on the plan)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public PlanView replace(@RestPath String id, @Valid @NotNull PlanSpec body) {
        Caller caller = access.requirePlatformAdmin();
        return service.replace(id, body, caller);
    }

    @POST
    @Path("{id}/archive")
    @Consumes(MediaType.WILDCARD) // no body: any content type, or none
    @Operation(operationId = "adminArchivePlan",
            summary = "Stop offering the plan: no tenant can be moved onto it; those on it stay and are priced by it")
    @APIResponse(responseCode = "200", description = "The plan with archived_at set (unchanged when it was archived)")
    @APIResponse(responseCode = "404", description = "plan_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public PlanView archive(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        return service.archive(id, caller);
    }

    @PUT
    @Path("{id}/self-service")
    @Operation(operationId = "adminSetPlanSelfService",
            summary = "Let tenant admins choose the plan themselves (from their next billing period), or stop it")
    @APIResponse(responseCode = "200", description = "The plan with self_service as asked (unchanged when it was so)")
    @APIResponse(responseCode = "400", description = "validation_failed: self_service missing or not a boolean",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public PlanView selfService(@RestPath String id, @Valid @NotNull SelfServiceRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return service.setSelfService(id, body.selfService(), caller);
    }

    @POST
    @Path("{id}/restore")
    @Consumes(MediaType.WILDCARD) // no body: any content type, or none
    @Operation(operationId = "adminRestorePlan", summary = "Offer an archived plan again")
    @APIResponse(responseCode = "200", description = "The plan with archived_at null (unchanged when it was not archived)")
    @APIResponse(responseCode = "404", description = "plan_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public PlanView restore(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        return service.restore(id, caller);
    }
}
