package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FileDownload;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The whole audit log of every tenant and of the platform (or what the tenant and action filters keep) as one CSV
 * file, streamed from platform-api under the file name it gives. Platform admins only; platform-api enforces it too.
 */
@Path("/admin/audit.csv")
public class AdminAuditCsvResource {

    private final CurrentUser user;
    private final AdminApi api;

    AdminAuditCsvResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    @Produces("text/csv")
    public Response csv(@RestQuery String tenant, @RestQuery String action) {
        user.requirePlatformAdmin();
        String slug = blankToNull(tenant);
        return FileDownload.passThrough(api.auditCsv(slug, blankToNull(action)), "text/csv; charset=utf-8",
                "audit-" + (slug == null ? "all" : slug) + ".csv");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
