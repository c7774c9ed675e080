package io.aiaas.platform.worker.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.worker.service.WorkerRegistry;
import io.aiaas.platform.worker.service.WorkerViews.WorkerView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Lets platform admins see the workers, their status and what each holds. */
@Path("/admin/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersAdminResource {

    private final AccessService access;
    private final WorkerRegistry registry;

    WorkersAdminResource(AccessService access, WorkerRegistry registry) {
        this.access = access;
        this.registry = registry;
    }

    @GET
    public List<WorkerView> list() {
        access.requirePlatformAdmin();
        return registry.list();
    }
}
