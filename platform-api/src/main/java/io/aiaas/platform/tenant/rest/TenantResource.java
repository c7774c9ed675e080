package io.aiaas.platform.tenant.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.plan.service.PlanChangeView;
import io.aiaas.platform.tenant.service.AddMemberRequest;
import io.aiaas.platform.tenant.service.ChangeMemberRoleRequest;
import io.aiaas.platform.tenant.service.CreateTenantRequest;
import io.aiaas.platform.tenant.service.MemberView;
import io.aiaas.platform.tenant.service.TenantService;
import io.aiaas.platform.tenant.service.TenantView;
import io.aiaas.platform.tenant.service.UpdateTenantRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API for tenants and their members (realm role platform-admin). */
@Path("/admin/v1/tenants")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantResource {

    private final AccessService access;
    private final TenantService service;

    TenantResource(AccessService access, TenantService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Operation(operationId = "adminCreateTenant")
    @APIResponse(responseCode = "201", description = "Created; Location names the tenant")
    @APIResponse(responseCode = "400", description = "Invalid slug or name")
    @APIResponse(responseCode = "409", description = "tenant_exists: the slug is taken")
    public RestResponse<TenantView> create(@Valid @NotNull CreateTenantRequest body, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        TenantView created = service.create(body, caller);
        return Created.at(uri, created.slug(), created);
    }

    @GET
    @Operation(operationId = "adminListTenants", summary = "Tenants by slug: all of them, or those with a status,"
            + " matching a text, a page at a time (after the last slug of the previous page)")
    @APIResponse(responseCode = "200", description = "The tenants, by slug; a page shorter than limit is the last")
    @APIResponse(responseCode = "400", description = "invalid_parameter: status, q or limit",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<TenantView> list(
            @Parameter(description = "active, suspended or closed; absent: any") @RestQuery String status,
            @Parameter(description = "text the slug or name holds, whatever its case (at most 100 characters)")
            @RestQuery String q,
            @Parameter(description = "only tenants whose slug sorts after this one: the last of the previous page")
            @RestQuery String after,
            @Parameter(description = "at most this many, an integer from 1 to 1000; absent: all")
            @RestQuery String limit) {
        access.requirePlatformAdmin();
        return service.search(status, q, after, limit);
    }

    @GET
    @Path("{slug}")
    @Operation(operationId = "adminGetTenant")
    @APIResponse(responseCode = "200", description = "The tenant")
    @APIResponse(responseCode = "404", description = "tenant_not_found")
    public TenantView get(@RestPath String slug) {
        access.requirePlatformAdmin();
        return service.get(slug);
    }

    @PATCH
    @Path("{slug}")
    @Operation(operationId = "adminUpdateTenant")
    @APIResponse(responseCode = "200", description = "The changed tenant")
    @APIResponse(responseCode = "400", description = "validation_failed (name, status), unknown_plan,"
            + " plan_effective_in_past, plan_id_required (plan_effective_at without plan_id), invalid_time_zone",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "plan_change_exists: a plan change at that instant is recorded; plan_archived: the plan takes no new tenants",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TenantView update(@RestPath String slug, @Valid @NotNull UpdateTenantRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return service.update(slug, body, caller);
    }

    @GET
    @Path("{slug}/plans")
    @Operation(operationId = "adminListTenantPlanChanges")
    @APIResponse(responseCode = "200", description = "The tenant's plan history, latest effective time first")
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<PlanChangeView> planHistory(@RestPath String slug) {
        access.requirePlatformAdmin();
        return service.planHistory(slug);
    }

    @POST
    @Path("{slug}/members")
    @Operation(operationId = "adminAddMember")
    @APIResponse(responseCode = "201", description = "Added; Location names the membership")
    @APIResponse(responseCode = "400", description = "Neither email nor subject, or a bad role")
    @APIResponse(responseCode = "404", description = "tenant_not_found")
    @APIResponse(responseCode = "409", description = "member_exists")
    public RestResponse<MemberView> addMember(@RestPath String slug, @Valid @NotNull AddMemberRequest body,
            UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        MemberView member = service.addMember(slug, body, caller);
        return Created.at(uri, member.id().toString(), member);
    }

    @GET
    @Path("{slug}/members")
    @Operation(operationId = "adminListMembers")
    @APIResponse(responseCode = "200", description = "The members of the tenant")
    @APIResponse(responseCode = "404", description = "tenant_not_found")
    public List<MemberView> members(@RestPath String slug) {
        access.requirePlatformAdmin();
        return service.listMembers(slug);
    }

    @PATCH
    @Path("{slug}/members/{id}")
    @Operation(operationId = "adminChangeMemberRole")
    @APIResponse(responseCode = "200", description = "The member with the new role")
    @APIResponse(responseCode = "400", description = "validation_failed: role is not 'admin' or 'member'",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found or member_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "last_admin: the tenant would be left without an admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public MemberView changeMemberRole(@RestPath String slug, @RestPath UUID id,
            @Valid @NotNull ChangeMemberRoleRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return service.changeRole(slug, id, body, caller);
    }

    @DELETE
    @Path("{slug}/members/{id}")
    @Operation(operationId = "adminRemoveMember")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "tenant_not_found or member_not_found")
    @APIResponse(responseCode = "409", description = "last_admin: the tenant would be left without an admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void removeMember(@RestPath String slug, @RestPath UUID id) {
        Caller caller = access.requirePlatformAdmin();
        service.removeMember(slug, id, caller);
    }
}
