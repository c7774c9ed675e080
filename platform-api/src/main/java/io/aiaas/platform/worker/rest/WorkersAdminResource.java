package io.aiaas.platform.worker.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.worker.service.WorkerRegistry;
import io.aiaas.platform.worker.service.WorkerViews.WorkerView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Lets platform admins see the workers, their status and what each holds. */
@Path("/admin/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workers (admin)")
public class WorkersAdminResource {

    private final AccessService access;
    private final WorkerRegistry registry;

    WorkersAdminResource(AccessService access, WorkerRegistry registry) {
        this.access = access;
        this.registry = registry;
    }

    @GET
    @Operation(operationId = "adminListWorkers")
    @APIResponse(responseCode = "200", description = "Workers with their status and placements")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not a platform admin",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<WorkerView> list() {
        access.requirePlatformAdmin();
        return registry.list();
    }
}
