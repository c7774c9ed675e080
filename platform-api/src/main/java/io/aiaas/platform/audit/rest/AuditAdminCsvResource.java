package io.aiaas.platform.audit.rest;

import io.aiaas.platform.access.Roles;
import io.aiaas.platform.audit.service.AuditExport;
import io.aiaas.platform.audit.service.AuditService;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Csv;
import jakarta.annotation.security.RolesAllowed;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API: the platform's audit log (every tenant's, or one's) as one CSV file. */
@Path("/admin/v1/audit.csv")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces("text/csv")
@Tag(name = "Audit (admin)")
public class AuditAdminCsvResource {

    private final AuditService service;

    AuditAdminCsvResource(AuditService service) {
        this.service = service;
    }

    @GET
    @Operation(operationId = "adminExportAuditEntries")
    @APIResponse(responseCode = "200", description = "Header, then every matching entry newest first (details as"
            + " JSON); Content-Disposition names the file audit-<slug or all>-<day>.csv",
            content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "400", description = "invalid_parameter: bad action, since or until",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not a platform admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<StreamingOutput> export(@Parameter(description = "a tenant's slug") @RestQuery String tenant,
            @Parameter(description = "exact action, or a prefix ending in .* such as billing.*") @RestQuery String action,
            @Parameter(description = "ISO-8601, inclusive") @RestQuery String since,
            @Parameter(description = "ISO-8601, exclusive") @RestQuery String until) {
        AuditExport export = service.adminExport(tenant, action, since, until);
        return Csv.streamed(export.filename(), export::writeTo);
    }
}
