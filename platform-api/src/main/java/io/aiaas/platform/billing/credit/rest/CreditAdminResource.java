package io.aiaas.platform.billing.credit.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.credit.service.CreditGrantView;
import io.aiaas.platform.billing.credit.service.CreditService;
import io.aiaas.platform.billing.credit.service.GrantCreditRequest;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API: credit grants that tenants' invoices draw on (realm role platform-admin). */
@Path("/admin/v1/credits")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class CreditAdminResource {

    private final AccessService access;
    private final CreditService service;

    CreditAdminResource(AccessService access, CreditService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminGrantCredit",
            summary = "Give a tenant credit that its invoices in the currency draw on when periods close, earliest"
            + " expiry first, until spent, expired or voided")
    @APIResponse(responseCode = "201", description = "The grant; Location names it")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json, unknown_tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tenant_closed",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<CreditGrantView> grant(@Valid @NotNull GrantCreditRequest body, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        CreditGrantView grant = service.grant(body, caller);
        return Created.at(uri, grant.id().toString(), grant);
    }

    @GET
    @Operation(operationId = "adminListCreditGrants")
    @APIResponse(responseCode = "200", description = "Grants with what is left of each, newest first (at most 500)")
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<CreditGrantView> list(@Parameter(description = "a tenant's slug") @RestQuery String tenant) {
        access.requirePlatformAdmin();
        return service.adminList(tenant);
    }

    @POST
    @Path("{id}/void")
    @Operation(operationId = "adminVoidCreditGrant",
            summary = "Void what is left of a grant; what invoices drew from it stays on them")
    @APIResponse(responseCode = "200", description = "The voided grant")
    @APIResponse(responseCode = "404", description = "credit_grant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "credit_grant_void: voided already",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public CreditGrantView voidGrant(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        return service.voidGrant(id, caller);
    }
}
