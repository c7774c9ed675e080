package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.admin.Worker;
import io.aiaas.console.web.CurrentUser;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Admin page of the inference workers: health, device, queue depth, last heartbeat and the versions each holds. */
@Path("/admin/workers")
@Produces(MediaType.TEXT_HTML)
public class AdminWorkersResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Worker> workers);
    }

    private final CurrentUser user;
    private final AdminApi api;

    AdminWorkersResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    public TemplateInstance list() {
        user.requirePlatformAdmin();
        return Templates.list(api.workers());
    }
}
