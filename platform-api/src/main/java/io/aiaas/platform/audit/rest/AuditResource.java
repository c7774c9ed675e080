package io.aiaas.platform.audit.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.service.AuditPage;
import io.aiaas.platform.audit.service.AuditService;
import io.aiaas.platform.common.error.Problem;
import io.quarkus.security.Authenticated;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Tenant API: the tenant's own audit log, for its admins. */
@Path("/api/v1/tenants/{slug}/audit")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    private final AccessService access;
    private final AuditService service;

    AuditResource(AccessService access, AuditService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "listAuditEntries")
    @APIResponse(responseCode = "200", description = "Entries newest first, with the cursor of the next page")
    @APIResponse(responseCode = "400", description = "invalid_parameter: bad action, since, until, before or limit",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: a member who is not a tenant admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public AuditPage list(@RestPath String slug,
            @Parameter(description = "exact action, or a prefix ending in .* such as billing.*") @RestQuery String action,
            @Parameter(description = "ISO-8601, inclusive") @RestQuery String since,
            @Parameter(description = "ISO-8601, exclusive") @RestQuery String until,
            @Parameter(description = "entry id: next_before of the previous page") @RestQuery String before,
            @Parameter(description = "1 to 500, default 100") @RestQuery String limit) {
        TenantAccess tenant = access.requireTenantAdminToRead(slug);
        return service.tenantPage(tenant, action, since, until, before, limit);
    }
}
