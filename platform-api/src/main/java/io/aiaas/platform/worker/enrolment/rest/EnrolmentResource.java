package io.aiaas.platform.worker.enrolment.rest;

import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.worker.enrolment.service.EnrolmentService;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.Enrolled;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.EnrolmentRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Where a new worker enrols: an enrolment token (in the body, no bearer token: the worker has no key registered
 * yet) and the worker's public key give it an identity.
 */
@Path("/internal/v1/enrolments")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal (workers)")
public class EnrolmentResource {

    private final EnrolmentService service;

    EnrolmentResource(EnrolmentService service) {
        this.service = service;
    }

    @POST
    @Operation(operationId = "internalEnrolWorker")
    @APIResponse(responseCode = "201", description = "Enrolled: the identity id (also the worker's row id), the key id,"
            + " and the control plane's JWK Set")
    @APIResponse(responseCode = "400", description = "invalid_public_key or an invalid body",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "enrolment_token_invalid: unknown, expired, used up or revoked",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "worker_key_taken: the public key is registered already",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<Enrolled> enrol(@Valid @NotNull EnrolmentRequest request, UriInfo uri) {
        Enrolled enrolled = service.enrol(request);
        return Created.at(uri, enrolled.identityId().toString(), enrolled);
    }
}
