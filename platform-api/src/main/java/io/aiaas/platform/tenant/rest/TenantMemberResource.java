package io.aiaas.platform.tenant.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.tenant.service.AddMemberRequest;
import io.aiaas.platform.tenant.service.ChangeMemberRoleRequest;
import io.aiaas.platform.tenant.service.MemberView;
import io.aiaas.platform.tenant.service.TenantService;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/**
 * Tenant API for a tenant's people: members see who belongs; tenant admins (and platform admins) add, change roles and
 * remove, but never the tenant's last admin.
 */
@Path("/api/v1/tenants/{slug}/members")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Members (tenant)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantMemberResource {

    private final AccessService access;
    private final TenantService service;

    TenantMemberResource(AccessService access, TenantService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "listMembers")
    @APIResponse(responseCode = "200", description = "The members of the tenant")
    public List<MemberView> list(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.listMembers(tenant.slug());
    }

    @POST
    @Operation(operationId = "addMember")
    @APIResponse(responseCode = "201", description = "Added; Location names the membership")
    @APIResponse(responseCode = "400", description = "Neither email nor subject, or a bad role",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins manage members",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "member_exists",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<MemberView> add(@RestPath String slug, @Valid @NotNull AddMemberRequest body, UriInfo uri) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        MemberView member = service.addMember(tenant.slug(), body, tenant.caller());
        return Created.at(uri, member.id().toString(), member);
    }

    @PATCH
    @Path("{id}")
    @Operation(operationId = "changeMemberRole")
    @APIResponse(responseCode = "200", description = "The member with the new role")
    @APIResponse(responseCode = "400", description = "validation_failed: role is not 'admin' or 'member'",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins manage members",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "member_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "last_admin: the tenant would be left without an admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public MemberView changeRole(@RestPath String slug, @RestPath UUID id,
            @Valid @NotNull ChangeMemberRoleRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.changeRole(tenant.slug(), id, body, tenant.caller());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "removeMember")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "409", description = "last_admin: the tenant would be left without an admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins manage members",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "member_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void remove(@RestPath String slug, @RestPath UUID id) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        service.removeMember(tenant.slug(), id, tenant.caller());
    }
}
