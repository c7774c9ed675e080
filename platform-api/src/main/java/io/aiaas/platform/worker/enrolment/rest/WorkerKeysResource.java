package io.aiaas.platform.worker.enrolment.rest;

import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.worker.auth.CallingWorker;
import io.aiaas.platform.worker.auth.WorkerAuthenticated;
import io.aiaas.platform.worker.enrolment.service.EnrolmentService;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.AddWorkerKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** A worker rotates its own key: adds the new one (signed with the old one), then retires the old one (signed with the new). */
@Path("/internal/v1/workers/keys")
@WorkerAuthenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal (workers)")
@APIResponse(responseCode = "401", description = "No valid worker token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class WorkerKeysResource {

    private final EnrolmentService service;
    private final CallingWorker caller;

    WorkerKeysResource(EnrolmentService service, CallingWorker caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "internalAddWorkerKey")
    @APIResponse(responseCode = "201", description = "The key is registered for the caller's identity; both keys are"
            + " accepted until the old one is retired")
    @APIResponse(responseCode = "400", description = "invalid_public_key",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "worker_key_taken or too_many_worker_keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<Map<String, String>> add(@Valid @NotNull AddWorkerKey request) {
        String keyId = service.addKey(caller.identityId(), request.publicKey());
        return RestResponse.status(RestResponse.Status.CREATED, Map.of("key_id", keyId));
    }

    @DELETE
    @Path("{kid}")
    @Operation(operationId = "internalRetireWorkerKey")
    @APIResponse(responseCode = "204", description = "Retired: tokens signed with it are refused from now on")
    @APIResponse(responseCode = "404", description = "worker_key_not_found: not an active key of the caller",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "worker_key_in_use: the request was signed with that key",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void retire(@RestPath String kid) {
        service.retireKey(caller.identityId(), caller.keyId(), kid);
    }
}
