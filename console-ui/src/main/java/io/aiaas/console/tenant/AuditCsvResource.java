package io.aiaas.console.tenant;

import io.aiaas.console.api.TenantApi;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FileDownload;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's whole audit log (or what the action filter keeps) as one CSV file, streamed from platform-api under the
 * file name it gives; for a member, platform-api's 403 is the forbidden page.
 */
@Path("/t/{slug}/audit.csv")
public class AuditCsvResource {

    private final CurrentUser user;
    private final TenantApi api;

    AuditCsvResource(CurrentUser user, @RestClient TenantApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    @Produces("text/csv")
    public Response csv(@RestPath String slug, @RestQuery String action) {
        user.requireTenant(slug);
        return FileDownload.passThrough(api.auditCsv(slug, action == null || action.isBlank() ? null : action.trim()),
                "text/csv; charset=utf-8", "audit-" + slug + ".csv");
    }
}
