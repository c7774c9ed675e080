package io.aiaas.platform.audit.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.service.AuditExport;
import io.aiaas.platform.audit.service.AuditService;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Csv;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Tenant API: the tenant's whole audit log (or what the filters of {@link AuditResource} keep) as one CSV file. */
@Path("/api/v1/tenants/{slug}/audit.csv")
@Authenticated
@Produces("text/csv")
@Tag(name = "Audit")
public class AuditCsvResource {

    private final AccessService access;
    private final AuditService service;

    AuditCsvResource(AccessService access, AuditService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "exportAuditEntries")
    @APIResponse(responseCode = "200", description = "Header, then every matching entry newest first (details as"
            + " JSON); Content-Disposition names the file audit-<slug>-<day>.csv",
            content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "400", description = "invalid_parameter: bad action, since or until",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: a member who is not a tenant admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<StreamingOutput> export(@RestPath String slug,
            @Parameter(description = "exact action, or a prefix ending in .* such as billing.*") @RestQuery String action,
            @Parameter(description = "ISO-8601, inclusive") @RestQuery String since,
            @Parameter(description = "ISO-8601, exclusive") @RestQuery String until) {
        TenantAccess tenant = access.requireTenantAdminToRead(slug);
        AuditExport export = service.tenantExport(tenant, action, since, until);
        return Csv.streamed(export.filename(), export::writeTo);
    }
}
