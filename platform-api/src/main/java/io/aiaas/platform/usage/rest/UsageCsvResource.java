package io.aiaas.platform.usage.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Csv;
import io.aiaas.platform.usage.service.UsageCsv;
import io.aiaas.platform.usage.service.UsageService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Tenant API: a usage report as a CSV download, with the parameters of {@link UsageResource}. */
@Path("/api/v1/tenants/{slug}/usage.csv")
@Authenticated
@Produces("text/csv")
@Tag(name = "Usage")
public class UsageCsvResource {

    private final AccessService access;
    private final UsageService service;

    UsageCsvResource(AccessService access, UsageService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "getUsageCsv")
    @APIResponse(responseCode = "200", description = "Header, then one record per non-empty bucket (and group);"
            + " Content-Disposition names the file usage-<slug>-<start>.csv", content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "400", description = "invalid_parameter: bad start, end, bucket_width, group_by, model"
            + " or key_id, or 1m over more than a day",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<String> csv(@RestPath String slug, @BeanParam ReportQuery query) {
        TenantAccess tenant = access.requireMember(slug);
        UsageCsv csv = service.csv(tenant, query.parameters());
        return Csv.attachment(csv.filename(), csv.body());
    }
}
