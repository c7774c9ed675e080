package io.aiaas.platform.worker.enrolment.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.common.web.PathIds;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.worker.enrolment.service.EnrolmentService;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.WorkerIdentityView;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Platform admins list enrolled worker identities and revoke one (a lost or compromised node). */
@Path("/admin/v1/workers/identities")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workers (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class WorkerIdentitiesResource {

    private final AccessService access;
    private final EnrolmentService service;

    WorkerIdentitiesResource(AccessService access, EnrolmentService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "adminListWorkerIdentities")
    @APIResponse(responseCode = "200", description = "Enrolled worker identities with their keys")
    public List<WorkerIdentityView> identities() {
        access.requirePlatformAdmin();
        return service.identities();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "adminRevokeWorkerIdentity")
    @APIResponse(responseCode = "204", description = "Revoked: the worker's tokens are refused and its row is gone")
    @APIResponse(responseCode = "404", description = "worker_identity_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void revokeIdentity(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        service.revokeIdentity(caller, PathIds.uuid(id, "worker_identity_not_found"));
    }
}
