package io.aiaas.platform.worker.rest;

import io.aiaas.platform.common.web.PathIds;
import io.aiaas.platform.worker.WorkersConfig;
import io.aiaas.platform.worker.auth.CallingWorker;
import io.aiaas.platform.worker.auth.WorkerAuthenticated;
import io.aiaas.platform.worker.service.WorkerRegistry;
import io.aiaas.platform.worker.service.WorkerViews.Heartbeat;
import io.aiaas.platform.worker.service.WorkerViews.HeartbeatAnswer;
import io.aiaas.platform.worker.service.WorkerViews.Registered;
import io.aiaas.platform.worker.service.WorkerViews.Registration;
import jakarta.validation.Valid;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * The internal API workers call: registration, heartbeats and deregistration (JWT with audience
 * aiaas-control-plane).
 */
@Path("/internal/v1/workers")
@WorkerAuthenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal (workers)")
@APIResponse(responseCode = "400", description = "Invalid body")
@APIResponse(responseCode = "401", description = "No valid internal JWT (audience aiaas-control-plane, issuer aiaas-worker)")
@APIResponse(responseCode = "403", description = "worker_identity_mismatch: the path names another worker than the caller")
public class WorkerRegistryResource {

    private final WorkerRegistry registry;
    private final WorkersConfig config;
    private final CallingWorker caller;

    WorkerRegistryResource(WorkerRegistry registry, WorkersConfig config, CallingWorker caller) {
        this.registry = registry;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "internalRegisterWorker")
    @APIResponse(responseCode = "200", description = "Registered under the caller's identity id (its row is reused)")
    @APIResponse(responseCode = "409", description = "worker_url_taken: another live worker is registered at that URL")
    public Registered register(@Valid @NotNull Registration registration) {
        return new Registered(registry.register(caller.identityId(), registration), config.heartbeatInterval().toMillis());
    }

    @POST
    @Path("/{id}/heartbeat")
    @Operation(operationId = "internalSendWorkerHeartbeat")
    @APIResponse(responseCode = "200", description = "The versions the worker should hold")
    @APIResponse(responseCode = "404", description = "worker_not_found: register again")
    public HeartbeatAnswer heartbeat(@PathParam("id") String id, @Valid @NotNull Heartbeat heartbeat) {
        UUID workerId = PathIds.uuid(id, "worker_not_found");
        registry.heartbeat(workerId, heartbeat);
        return new HeartbeatAnswer(registry.desired(workerId));
    }

    /** A worker that shuts down says so first: no call is routed to it from the next routing reload on. */
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "internalDeregisterWorker")
    @APIResponse(responseCode = "204", description = "Deregistered: its placements are dropped, its versions placed "
            + "elsewhere (also when it was not registered)")
    @APIResponse(responseCode = "404", description = "worker_not_found: the id is not a worker id")
    public void deregister(@PathParam("id") String id) {
        registry.deregister(PathIds.uuid(id, "worker_not_found"));
    }
}
