package io.aiaas.platform.audit.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.audit.service.AuditPage;
import io.aiaas.platform.audit.service.AuditService;
import io.aiaas.platform.common.error.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin API: the whole audit log, or one tenant's (realm role platform-admin). */
@Path("/admin/v1/audit")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit (admin)")
public class AuditAdminResource {

    private final AccessService access;
    private final AuditService service;

    AuditAdminResource(AccessService access, AuditService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "adminListAuditEntries")
    @APIResponse(responseCode = "200", description = "Entries newest first, with the cursor of the next page")
    @APIResponse(responseCode = "400", description = "invalid_parameter: bad action, since, until, before or limit",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not a platform admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: the tenant filter names no tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public AuditPage list(@Parameter(description = "a tenant's slug") @RestQuery String tenant,
            @Parameter(description = "exact action, or a prefix ending in .* such as billing.*") @RestQuery String action,
            @Parameter(description = "ISO-8601, inclusive") @RestQuery String since,
            @Parameter(description = "ISO-8601, exclusive") @RestQuery String until,
            @Parameter(description = "entry id: next_before of the previous page") @RestQuery String before,
            @Parameter(description = "1 to 500, default 100") @RestQuery String limit) {
        access.requirePlatformAdmin();
        return service.adminPage(tenant, action, since, until, before, limit);
    }
}
